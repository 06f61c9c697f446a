package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Control groups in the decide stage, on the real DMN engine and DRL guardrails, batch and online, on H2. */
class ControlGroupDecideTest {
  private static final Instant AT = Instant.parse("2026-11-28T06:00:00Z");
  private Store store;

  @BeforeEach
  void open() {
    store = TestStores.h2();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private BigDecimal query(String sql, Object... args) {
    return (BigDecimal) value(sql, args);
  }

  private Object value(String sql, Object... args) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getObject(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<DecisionInput> population(int n) {
    List<DecisionInput> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.add(switch (i % 3) {
        case 0 -> Inputs.silver("c" + i);
        case 1 -> Inputs.goldVoucher("c" + i, 500 + i % 97);
        default -> Inputs.atRiskVoucher("c" + i, 700 + i % 89);
      });
    }
    return in;
  }

  private static List<Decision> decideAll(List<DecisionInput> in, ControlGroups control) {
    return new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params(), control, null)
        .decideAll(in, AT, e -> {
          throw e;
        });
  }

  private static Set<String> heldOut(List<Decision> ds) {
    Set<String> out = new TreeSet<>();
    for (Decision d : ds) {
      if (d.controlGroup()) {
        out.add(d.customerId());
      }
    }
    return out;
  }

  @Test
  void aShareOfZeroHoldsNobodyOut() {
    List<Decision> ds = decideAll(population(900), new ControlGroups(0, Map.of(), "s"));
    assertEquals(Set.of(), heldOut(ds));
    assertTrue(ds.stream().noneMatch(d -> d.guardrailCodes().contains(DecisionEngine.CONTROL_GROUP)));
    assertTrue(ds.stream().filter(Decision::isContact).count() > 800, "the population is mostly contacted");
  }

  @Test
  void theHeldOutCustomersAreExactlyThoseWhoseHashIsBelowTheShareOfTheirContactAction() {
    List<DecisionInput> in = population(3000);
    List<Decision> plain = decideAll(in, ControlGroups.none());
    ControlGroups control = new ControlGroups(0.3, Map.of(), "s");
    Set<String> expected = new TreeSet<>();
    for (Decision d : plain) {
      if (d.isContact() && control.unit(d.customerId(), d.actionCode()) < 0.3) {
        expected.add(d.customerId());
      }
    }
    List<Decision> first = decideAll(in, control);
    assertEquals(expected, heldOut(first));
    assertEquals(heldOut(first), heldOut(decideAll(in, new ControlGroups(0.3, Map.of(), "s"))), "same in a 2nd run");
    Set<String> otherSalt = heldOut(decideAll(in, new ControlGroups(0.3, Map.of(), "another salt")));
    assertNotEquals(expected, otherSalt);
    assertEquals(expected.size(), otherSalt.size(), expected.size() * 0.15);

    for (int i = 0; i < in.size(); i++) {
      Decision d = first.get(i);
      Decision p = plain.get(i);
      if (d.controlGroup()) {
        assertEquals(p.actionCode(), d.actionCode(), "the action code stays for the comparison");
        assertEquals(p.valueTier(), d.valueTier());
        assertNull(d.channel());
        assertNull(d.offer());
        assertEquals(0, d.offerCost().signum());
        assertFalse(d.isContact());
        String reason = d.interventions().getLast().reason();
        assertTrue(reason.startsWith("held out as the control group of " + d.actionCode()
            + " (30% of customers, chosen by id)"), reason);
      } else {
        assertEquals(p.channel(), d.channel());
        assertEquals(p.offerCost(), d.offerCost());
      }
    }
  }

  @Test
  void aShareOfOneActionOnlyHoldsOutOfThatAction() {
    List<DecisionInput> in = population(900);
    String voucher = decideAll(List.of(Inputs.goldVoucher("g", 600)), ControlGroups.none()).getFirst().actionCode();
    List<Decision> ds = decideAll(in, new ControlGroups(0, Map.of(voucher, 0.5), "s"));
    assertFalse(heldOut(ds).isEmpty());
    assertTrue(ds.stream().filter(Decision::controlGroup).allMatch(d -> d.actionCode().equals(voucher)));
  }

  @Test
  void overTwentyThousandCustomersTheHeldOutFractionIsWithinBinomialToleranceOfTheShare() {
    int n = 20_000;
    List<DecisionInput> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.add(Inputs.silver("customer-" + i));
    }
    double share = 0.1;
    List<Decision> ds = decideAll(in, new ControlGroups(share, Map.of(), "valuetier-control"));
    long contacts = ds.stream().filter(d -> d.isContact() || d.controlGroup()).count();
    assertEquals(n, contacts, "every one of these customers is proposed a contact");
    double fraction = heldOut(ds).size() / (double) n;
    double sigma = Math.sqrt(share * (1 - share) / n);
    assertEquals(share, fraction, 4 * sigma, "held out " + fraction + ", 4 sigma = " + 4 * sigma);
  }

  @Test
  void heldOutCustomersLogNoContactSpendNoBudgetAndTheTraceAndExplanationSaySo() throws InterruptedException {
    RuleSetHistory h = new RuleSetHistory(store);
    h.save(TestRuleSets.shipped().files(), "test");
    h.activate(TestRuleSets.shipped().version(), "INITIAL", "test");
    SyntheticPopulation.write(store, 3000, 7);
    GuardrailParameters params = TestRuleSets.params(new BigDecimal("1000"));
    BatchDecider.Report r = new BatchDecider(
        new DecisionEngine(TestRuleSets.shipped(), params, new ControlGroups(0.3, Map.of(), "s"), null),
        new DecisionLog(store, 100), new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();
    long held = store.queryLong("SELECT COUNT(*) FROM decisions WHERE control_group");
    assertTrue(held > 100, "held out " + held);
    assertEquals(held, r.controlGroup());
    assertEquals(held, r.guardrailInterventions().get(DecisionEngine.CONTROL_GROUP));
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM decisions d JOIN contact_log c ON c.decision_id ="
        + " d.decision_id WHERE d.control_group"), "no contact logged for a held-out customer");
    assertEquals(r.contacts(), store.queryLong("SELECT COUNT(*) FROM contact_log"));
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM decisions WHERE control_group AND (channel IS NOT NULL"
        + " OR offer_cost <> 0 OR guardrails NOT LIKE '%CONTROL_GROUP%')"));
    // The ledger's spending is exactly what the treated customers' decisions carry: a held-out customer took no part.
    assertTrue(r.offersRefused() > 0, "the budget of 1000 is binding");
    BigDecimal recorded = query("SELECT COALESCE(SUM(offer_cost), 0) FROM decisions");
    assertEquals(0, r.budgetSpent().compareTo(recorded), r.budgetSpent() + " spent, " + recorded + " recorded");
    // Some held-out customers were more valuable than the least valuable granted offer: the budget went past them.
    BigDecimal lowestGranted = query(
        "SELECT MIN(predicted_value) FROM decisions WHERE offer_cost > 0");
    assertTrue(store.queryLong("SELECT COUNT(*) FROM decisions WHERE control_group AND predicted_value > ?"
        + " AND proposed_action IN (SELECT action_code FROM decisions WHERE offer_cost > 0)", lowestGranted) > 0);

    String id = (String) value("SELECT MIN(customer_id) FROM decisions WHERE control_group");
    LoggedDecision logged = new DecisionLog(store, 1).latest(id).orElseThrow();
    Decision d = logged.decision();
    assertTrue(d.controlGroup());
    String text = String.join("\n", new Explainer(h).explain(logged));
    assertTrue(text.contains("(" + DecisionEngine.CONTROL_GROUP + ") changed the action: held out as the control group of "
        + d.actionCode() + " (30% of customers, chosen by id)"), text);
    assertTrue(text.contains("Final action: " + d.actionCode() + " HELD OUT as its control group, channel none"), text);
  }

  @Test
  void onlineDecisionsHoldOutTheSameCustomersAndLogNoContactForThem() {
    RuleSetHistory h = new RuleSetHistory(store);
    h.save(TestRuleSets.shipped().files(), "test");
    h.activate(TestRuleSets.shipped().version(), "INITIAL", "test");
    RuleSetRegistry registry = new RuleSetRegistry(TestRuleSets.home(), h, TestRuleSets.params());
    registry.start();
    ControlGroups control = new ControlGroups(0.3, Map.of(), "s");
    DecisionService service = new DecisionService(registry, new DecisionLog(store, 10), TestRuleSets.params(), control);
    List<DecisionInput> in = population(60);
    Set<String> expected = heldOut(decideAll(in, control));
    Set<String> online = new TreeSet<>();
    for (DecisionInput i : in) {
      if (service.decide(i).controlGroup()) {
        online.add(i.customerId());
      }
    }
    assertFalse(expected.isEmpty());
    assertEquals(expected, online);
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM decisions d JOIN contact_log c ON c.decision_id ="
        + " d.decision_id WHERE d.control_group"));
    assertEquals(expected.size(), store.queryLong("SELECT COUNT(*) FROM decisions WHERE control_group"));
  }
}
