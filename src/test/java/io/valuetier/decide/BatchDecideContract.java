package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.valuetier.act.DecisionActions;
import io.valuetier.act.PublishService;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.config.Settings;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Date;
import java.util.Map;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch decision run against a real database: every scored customer decided and stored with its trace, contacts
 * logged, fatigue read back on the next run, the budget respected, retention applied, explanations in words. Run on
 * H2 and on MariaDB by the subclasses.
 */
abstract class BatchDecideContract {
  static final int POPULATION = 3000;

  @TempDir Path work;

  abstract Store store();

  private BatchDecider.Report run(GuardrailParameters params) throws InterruptedException {
    DecisionLog ds = new DecisionLog(store(), 100);
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
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions WHERE matched_rows IS NULL OR value_percentile IS NULL"
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

  /** Publishes the actions of a decision run to {@code destination}, one quick retry before a delivery fails. */
  private PublishService.PublishReport publish(long runId, String destination) {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of(
        "valuetier.publish.to", destination,
        "valuetier.publish.folder", work.resolve("out").toString(),
        "valuetier.publish.batch-size", "500",
        "valuetier.errors.max-redeliveries", "1",
        "valuetier.errors.redelivery-delay-ms", "10"));
    try (PublishService p = new PublishService(s, store())) {
      return p.publish("run-" + runId, new DecisionActions(store(), runId));
    }
  }

  @Test
  void theDeliveredContactsOfOneRunCountTowardsFatigueInTheNext() throws InterruptedException {
    SyntheticPopulation.write(store(), POPULATION, 7);
    GuardrailParameters oneContact = new GuardrailParameters(1, 30, null);
    BatchDecider.Report first = run(oneContact);
    assertTrue(first.contacts() > 0);
    assertNull(publish(first.runId(), "direct:write-action-files").failure());
    BatchDecider.Report second = run(oneContact);
    assertEquals(0, second.contacts());
    assertEquals(first.contacts(), second.guardrailInterventions().get("CONTACT_FATIGUE"));
  }

  @Test
  void decisionsThatWereNeverPublishedCountNoContact() throws InterruptedException {
    SyntheticPopulation.write(store(), POPULATION, 7);
    GuardrailParameters oneContact = new GuardrailParameters(1, 30, null);
    BatchDecider.Report first = run(oneContact);
    assertTrue(first.contacts() > 0);
    assertEquals(first.contacts(), store().queryLong("SELECT COUNT(*) FROM contact_log WHERE delivered_at IS NULL"));
    BatchDecider.Report second = run(oneContact);
    assertEquals(first.contacts(), second.contacts(), "nobody was contacted, so nobody is tired");
    assertNull(second.guardrailInterventions().get("CONTACT_FATIGUE"));
  }

  /**
   * A run whose publishing fails (the webhook is down beyond the retries) counts no contact; once a resumed publish
   * delivers it, its contacts count, and the next run's fatigue reflects exactly those.
   */
  @Test
  void aFailedPublishCountsNoContactAndTheResumedPublishCountsThem() throws Exception {
    SyntheticPopulation.write(store(), POPULATION, 7);
    AtomicBoolean up = new AtomicBoolean(false);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(up.get() ? 200 : 503, -1);
      ex.close();
    });
    server.start();
    try {
      String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
      GuardrailParameters oneContact = new GuardrailParameters(1, 30, null);
      BatchDecider.Report first = run(oneContact);
      assertTrue(first.contacts() > 0);

      assertTrue(publish(first.runId(), hook).failed(), "the destination is down");
      assertEquals(0, store().queryLong("SELECT COUNT(*) FROM contact_log WHERE delivered_at IS NOT NULL"));
      BatchDecider.Report whileDown = run(oneContact);
      assertNull(whileDown.guardrailInterventions().get("CONTACT_FATIGUE"), "no contact counted for the failed run");

      up.set(true);
      PublishService.PublishReport resumed = publish(first.runId(), hook);
      assertNull(resumed.failure());
      assertEquals(first.contacts(), store().queryLong(
          "SELECT COUNT(*) FROM contact_log WHERE delivered_at IS NOT NULL AND decision_id >= ? AND decision_id < ?",
          DecisionLog.firstDecisionId(first.runId()), DecisionLog.firstDecisionId(first.runId() + 1)));
      assertEquals(first.contacts(), store().queryLong("SELECT COUNT(*) FROM contact_log WHERE delivered_at IS NOT NULL"),
          "the unpublished run decided meanwhile counts nothing");
      BatchDecider.Report next = run(oneContact);
      assertEquals(first.contacts(), next.guardrailInterventions().get("CONTACT_FATIGUE"));
    } finally {
      server.stop(0);
    }
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
        Timestamp.from(Instant.now()), Date.valueOf("2026-01-01"));
    store().execute("INSERT INTO customers (customer_id, segment, country, marketing_consent, loyalty_member,"
        + " open_complaints, fraud_flag, updated_at) VALUES ('X1', 'Retail', 'Germany', FALSE, FALSE, 0, FALSE, ?)",
        Timestamp.from(Instant.now()));
    run(TestRuleSets.params());
    LoggedDecision logged = new DecisionLog(store(), 1).latest("X1").orElseThrow();
    Decision d = logged.decision();
    assertEquals("At Risk", d.valueTier());
    assertEquals("NO_CONTACT", d.actionCode());
    assertEquals("WINBACK_VOUCHER", d.proposedAction());
    assertEquals("gbm", d.modelId());
    String text = String.join("\n", new Explainer(new RuleSetHistory(store())).explain(logged));
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
        new DecisionLog(store(), 100), new BatchDecider.Options(2, 100, false, Duration.ofDays(90))).run();
    assertEquals(300, r.decisions());
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM decisions"));
    assertEquals(0, store().queryLong("SELECT COUNT(*) FROM contact_log"));
    assertEquals(List.of(), r.failures());
  }
}
