package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.trace.DecisionStore;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.store.Store;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch decision run against a real database: every scored customer decided and stored with its trace, contacts
 * logged, fatigue read back on the next run, the budget respected, retention applied, explanations in words. Run on
 * H2 and on MariaDB by the subclasses.
 */
abstract class BatchDecideContract {
  static final int POPULATION = 3000;

  abstract Store store();

  private BatchDecider.Report run(GuardrailParameters params) throws InterruptedException {
    DecisionStore ds = new DecisionStore(store(), 100);
    return new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), params), ds,
        new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();
  }

  private void saveShippedVersion() {
    RuleSetHistory h = new RuleSetHistory(store());
    h.save(TestRuleSets.shipped().files(), "test");
    h.activate(TestRuleSets.shipped().version(), "INITIAL", "test");
  }

  @Test
  void everyScoredCustomerIsDecidedAndStoredWithItsTrace() throws InterruptedException {
    SyntheticPopulation.write(store(), POPULATION, 7);
    BatchDecider.Report r = run(TestRuleSets.params(new BigDecimal("1000")));
    assertEquals(POPULATION, r.decisions());
    assertEquals(0, r.failed(), () -> "failures: " + r.failures());
    assertEquals(POPULATION, store().queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", r.runId()));
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions WHERE matched_rows IS NULL OR inputs IS NULL"
        + " OR reasons IS NULL OR rule_set <> ?", TestRuleSets.shipped().version()));
    assertEquals(r.contacts(), store().queryLong("SELECT COUNT(*) FROM contact_log"));
    assertEquals(r.contacts(), store().queryLong("SELECT COUNT(*) FROM decisions WHERE channel IS NOT NULL"));
    assertEquals(POPULATION, r.perTier().values().stream().mapToLong(Long::longValue).sum());
    assertTrue(r.guardrailInterventions().getOrDefault("NO_CONSENT", 0L) > 0, r.guardrailInterventions()::toString);
    assertTrue(r.budgetSpent().compareTo(new BigDecimal("1000")) <= 0);
    assertTrue(r.offersRefused() > 0, "the 1000 budget cannot pay every voucher of 3000 customers");
    assertEquals(r.offersRefused(), r.guardrailInterventions().get("BUDGET_CAP"));
  }

  @Test
  void customersWithoutFactsAreDecidedAsNotConsenting() throws InterruptedException {
    SyntheticPopulation.write(store(), POPULATION, 7);
    run(TestRuleSets.params());
    long withoutFacts = store().queryLong("SELECT COUNT(*) FROM scores s LEFT JOIN customers c"
        + " ON c.customer_id = s.customer_id WHERE c.customer_id IS NULL");
    assertTrue(withoutFacts > 0);
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions d LEFT JOIN customers c"
        + " ON c.customer_id = d.customer_id WHERE c.customer_id IS NULL AND d.channel IS NOT NULL"));
  }

  @Test
  void theContactsOfOneRunCountTowardsFatigueInTheNext() throws InterruptedException {
    SyntheticPopulation.write(store(), POPULATION, 7);
    GuardrailParameters oneContact = new GuardrailParameters(1, 30, null);
    BatchDecider.Report first = run(oneContact);
    assertTrue(first.contacts() > 0);
    BatchDecider.Report second = run(oneContact);
    assertEquals(0, second.contacts());
    assertEquals(first.contacts(), second.guardrailInterventions().get("CONTACT_FATIGUE"));
  }

  @Test
  void decisionsOlderThanTheRetentionAreDeleted() throws InterruptedException {
    SyntheticPopulation.write(store(), 200, 7);
    BatchDecider.Report old = run(TestRuleSets.params());
    store().execute("UPDATE decision_runs SET started_at = ? WHERE run_id = ?",
        Timestamp.from(Instant.now().minus(Duration.ofDays(100))), old.runId());
    BatchDecider.Report recent = run(TestRuleSets.params()); // purges on start
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", old.runId()));
    assertEquals(200, store().queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", recent.runId()));
  }

  @Test
  void explainSaysInWordsWhichRowsMatchedAndWhichGuardrailChangedTheAction() throws InterruptedException {
    saveShippedVersion();
    store().execute("INSERT INTO scores (customer_id, model_id, model_version, scored_at, cutoff_date, horizon_days,"
        + " predicted_spend, probability_active, value_percentile, cold_start, tenure_days, returns_ratio)"
        + " VALUES ('X1', 'gbm', '7', ?, ?, 365, 900.00, 0.2, 85, FALSE, 400, 0.1)",
        Timestamp.from(Instant.now()), java.sql.Date.valueOf("2026-01-01"));
    store().execute("INSERT INTO customers (customer_id, segment, country, marketing_consent, loyalty_member,"
        + " open_complaints, fraud_flag, updated_at) VALUES ('X1', 'Retail', 'Germany', FALSE, FALSE, 0, FALSE, ?)",
        Timestamp.from(Instant.now()));
    run(TestRuleSets.params());
    DecisionStore.StoredDecision d = new DecisionStore(store(), 1).latest("X1").orElseThrow();
    assertEquals("At Risk", d.valueTier());
    assertEquals("NO_CONTACT", d.actionCode());
    assertEquals("WINBACK_VOUCHER", d.proposedAction());
    assertEquals("gbm", d.modelId());
    String text = String.join("\n", new Explainer(new RuleSetHistory(store())).explain(d));
    assertTrue(text.contains("Value Tier = At Risk"), text);
    assertTrue(text.contains("because rule 3 of 'Value Tier' (id vt-r3, hit policy UNIQUE) matched"), text);
    assertTrue(text.contains("a valuable customer drifting away"), text);
    assertTrue(text.contains("Marketing Action proposed WINBACK_VOUCHER"), text);
    assertTrue(text.contains("Guardrail 'No marketing contact without consent' (NO_CONSENT) changed the action"), text);
    assertTrue(text.contains("Final action: NO_CONTACT, channel none"), text);
  }

  @Test
  void aDryRunStoresNothing() throws InterruptedException {
    SyntheticPopulation.write(store(), 300, 7);
    BatchDecider.Report r = new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params()),
        new DecisionStore(store(), 100), new BatchDecider.Options(2, 100, false, Duration.ofDays(90))).run();
    assertEquals(300, r.decisions());
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions"));
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM contact_log"));
    assertEquals(List.of(), r.failures());
  }
}
