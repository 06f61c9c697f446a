package io.valuetier.decide.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.testing.TestStores;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decision written to the log reads back as the same decision, with its run and its inputs as recorded. */
class DecisionLogTest {

  private static final Intervention NO_CONSENT =
      new Intervention("NO_CONSENT", "No marketing contact without consent", "no marketing consent on file");

  private static DecisionInput input(String id) {
    return new DecisionInput(id, new BigDecimal("1234.5"), new BigDecimal("91.25"), new BigDecimal("0.7"), false,
        "gbm", "3", new BigDecimal("400"), new BigDecimal("0.1"), false, null, BigDecimal.ZERO, false, "Germany",
        "Retail", 2);
  }

  private static Decision decision(long id, String customer, List<String> rowReasons, List<Intervention> guardrails) {
    return decision(id, customer, rowReasons, guardrails, input(customer));
  }

  private static Decision decision(
      long id, String customer, List<String> rowReasons, List<Intervention> guardrails, DecisionInput in) {
    return new Decision(id, customer, Instant.now().truncatedTo(ChronoUnit.MILLIS), "rules-7", Challenger.CHAMPION,
        "gbm", "3", "Gold", guardrails.isEmpty() ? "CROSS_SELL" : "NO_CONTACT", guardrails.isEmpty() ? "EMAIL" : null,
        null, 2, null, "PRIORITY", new BigDecimal("1234.50"), false, "CROSS_SELL",
        "Value Tier#4;Marketing Action#3;Service Level#5", rowReasons, guardrails,
        guardrails.stream().map(Intervention::rule).toList(), in);
  }

  @Test
  void aWrittenDecisionReadsBackAsTheSameDecision() {
    try (Store store = TestStores.h2()) {
      DecisionLog log = new DecisionLog(store, 10);
      long run = log.startRun("TEST", "rules-7");
      Decision written = decision(DecisionLog.firstDecisionId(run) + 1, "c1",
          List.of("high value", "active customers get offers"), List.of(NO_CONSENT));
      log.write(List.of(written), run);

      LoggedDecision read = log.latest("c1").orElseThrow();
      assertEquals(run, read.runId());
      assertEquals(written, read.decision());
      assertEquals(new LoggedDecision(run, written, read.inputs()).fields(), read.fields());
      assertEquals(log.byId(written.decisionId()), log.latest("c1"));

      Map<String, Object> fields = read.fields();
      assertEquals("NO_CONSENT", fields.get("guardrails"));
      assertEquals("rules-7", fields.get("ruleSet"));
      assertEquals(List.of(NO_CONSENT), fields.get("firedRules"));
      assertEquals(2, read.inputs().get("Recent Contacts"));
      assertEquals("Germany", read.inputs().get("Country"));
    }
  }

  @Test
  void thePredictionIntervalADecisionWasMadeWithReadsBack() {
    try (Store store = TestStores.h2()) {
      DecisionLog log = new DecisionLog(store, 10);
      long run = log.startRun("TEST", "rules-7");
      Decision written = decision(DecisionLog.firstDecisionId(run) + 1, "c1", List.of("high value"), List.of(),
          input("c1").withInterval(new BigDecimal("310.25"), new BigDecimal("2980.75")));
      log.write(List.of(written), run);
      LoggedDecision read = log.latest("c1").orElseThrow();
      assertEquals(written, read.decision());
      assertEquals(new BigDecimal("310.25"), read.decision().input().predictedSpendLow());
      assertEquals(310.25, ((Number) read.inputs().get("Predicted Spend Low")).doubleValue());
      assertEquals(2980.75, read.inputs().get("Predicted Spend High"));
      // a decision without an interval shows none in its trace
      log.write(List.of(decision(DecisionLog.firstDecisionId(run) + 2, "c2", List.of("x"), List.of())), run);
      assertEquals(null, log.latest("c2").orElseThrow().inputs().get("Predicted Spend Low"));
    }
  }

  @Test
  void answeredContactsCountAtOnceAndLoggedOnesWhenDelivered() throws Exception {
    try (Store store = TestStores.h2()) {
      DecisionLog log = new DecisionLog(store, 10);
      DecisionInputs inputs = new DecisionInputs(store);
      long run = log.startRun("TEST", "rules-7");
      Instant since = Instant.now().minus(Duration.ofDays(1));
      log.writeAnswered(List.of(decision(DecisionLog.firstDecisionId(run) + 1, "c1", List.of("r"), List.of())), run);
      Decision logged = decision(DecisionLog.firstDecisionId(run) + 2, "c2", List.of("r"), List.of());
      log.write(List.of(logged), run);
      assertEquals(Map.of("c1", 1), inputs.recentContacts(since));

      try (var c = store.connection()) {
        assertEquals(1, DecisionLog.markDelivered(c, List.of(Long.toString(logged.decisionId()), "not-a-decision"),
            java.sql.Timestamp.from(Instant.now())));
      }
      assertEquals(1, inputs.recentContacts("c2", since));
      assertEquals(2, store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", run));
    }
  }

  @Test
  void aFailedWriteLeavesNoDecisionAndNoContact() {
    try (Store store = TestStores.h2()) {
      DecisionLog log = new DecisionLog(store, 10);
      long run = log.startRun("TEST", "rules-7");
      Decision d = decision(DecisionLog.firstDecisionId(run) + 1, "c1", List.of("r"), List.of());
      log.write(List.of(d), run);
      Decision other = decision(DecisionLog.firstDecisionId(run) + 2, "c2", List.of("r"), List.of());
      // one row per statement: the new decision is inserted before the repeated id fails, then rolled back
      try {
        new DecisionLog(store, 1).write(List.of(other, d), run);
      } catch (RuntimeException expected) {
        // the store refuses the duplicate key
      }
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM decisions"));
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM contact_log"));
      assertTrue(log.latest("c2").isEmpty());
    }
  }

  @Test
  void storedReasonsSplitBackIntoTheRowsReasons() {
    List<Intervention> fired = List.of(NO_CONSENT);
    assertEquals(List.of("a", "b"), LoggedDecision.rowReasons("a | b | NO_CONSENT: no marketing consent on file", fired));
    assertEquals(List.of(), LoggedDecision.rowReasons("NO_CONSENT: no marketing consent on file", fired));
    assertEquals(List.of("a", "b"), LoggedDecision.rowReasons("a | b", List.of()));
    // a reason holding the separator comes back as two: the text, which is all the trace keeps, stays the same
    assertEquals(List.of("a | "), LoggedDecision.rowReasons("a | ", List.of()));
    assertEquals(List.of(), LoggedDecision.rowReasons(null, List.of()));

    String clipped = LoggedDecision.clip("x".repeat(5000) + " | NO_CONSENT: no marketing consent on file");
    assertEquals(clipped,
        LoggedDecision.clip(Decision.reasons(LoggedDecision.rowReasons(clipped, fired), fired)));
  }

  @Test
  void eachDistinctOutcomeIsStoredOnceAndEveryDecisionReadsBackWithItsOwnInputs() {
    try (Store store = TestStores.h2()) {
      long run;
      List<Decision> written = new ArrayList<>();
      // two writers of the same store (as two processes would be): the outcome ids agree, each outcome is one row
      for (int writer = 0; writer < 2; writer++) {
        DecisionLog log = new DecisionLog(store, 7);
        run = log.startRun("TEST", "rules-7");
        for (int part = 0; part < 5; part++) {
          List<Decision> batch = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            String id = "w" + writer + "-" + (part * 100 + i);
            Decision d = decision(DecisionLog.firstDecisionId(run) + part * 100 + i, id, List.of("high value"),
                i % 2 == 0 ? List.of() : List.of(NO_CONSENT));
            batch.add(withInput(d, d.input().withRecentContacts(i % 4)));
          }
          log.write(batch, run);
          written.addAll(batch);
        }
      }
      assertEquals(1000, store.queryLong("SELECT COUNT(*) FROM decisions"));
      assertEquals(2, store.queryLong("SELECT COUNT(*) FROM decision_outcomes"),
          "two distinct outcomes (with and without the consent hold), each stored once");
      DecisionLog reader = new DecisionLog(store, 10);
      for (Decision d : List.of(written.get(0), written.get(1), written.get(503), written.get(999))) {
        LoggedDecision read = reader.byId(d.decisionId()).orElseThrow();
        assertEquals(d, read.decision());
        assertEquals(d.input().recentContacts(), read.inputs().get("Recent Contacts"));
      }
    }
  }

  private static Decision withInput(Decision d, DecisionInput in) {
    return new Decision(d.decisionId(), in.customerId(), d.decidedAt(), d.ruleSetVersion(), d.ruleSetRole(),
        d.modelId(), d.modelVersion(), d.valueTier(), d.actionCode(), d.channel(), d.offer(), d.priority(),
        d.offerCost(), d.serviceLevel(), d.predictedValue(), d.controlGroup(), d.proposedAction(), d.matchedRows(),
        d.rowReasons(), d.interventions(), d.firedRules(), in);
  }

  @Test
  void aDecisionWrittenBeforeTheNarrowTraceReadsBackWithItsOutcomeAndInputs(@TempDir Path dir) throws Exception {
    String url = TestStores.h2Url(dir);
    Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("85").load().migrate();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO decision_runs (run_id, kind, rule_set, started_at) VALUES (1, 'BATCH', 'rules-6',"
          + " TIMESTAMP '2026-11-01 10:00:00')");
      st.execute("INSERT INTO decisions (decision_id, run_id, customer_id, decided_at, rule_set, model_id,"
          + " model_version, value_tier, action_code, channel, offer, priority, offer_cost, service_level,"
          + " predicted_value, control_group, proposed_action, guardrails, reasons, matched_rows, fired_rules, inputs,"
          + " rule_set_role) VALUES (4294967297, 1, 'old-1', TIMESTAMP '2026-11-01 10:00:00', 'rules-6', 'gbm', '2',"
          + " 'Gold', 'NO_CONTACT', NULL, NULL, 2, 0, 'PRIORITY', 812.40, FALSE, 'CROSS_SELL', 'NO_CONSENT',"
          + " 'high value | NO_CONSENT: no marketing consent on file', 'Value Tier#4',"
          + " '[{\"code\":\"NO_CONSENT\",\"rule\":\"No marketing contact without consent\","
          + "\"reason\":\"no marketing consent on file\"}]',"
          + " '{\"Predicted Spend\":812.4,\"Value Percentile\":88.5,\"Country\":\"France\",\"Recent Contacts\":1}',"
          + " 'champion')");
    }
    try (Store store = Store.open(url, "sa", "", 2)) {
      DecisionLog log = new DecisionLog(store, 10);
      LoggedDecision old = log.latest("old-1").orElseThrow();
      assertEquals(1, old.runId());
      assertEquals("Gold", old.decision().valueTier());
      assertEquals(List.of(NO_CONSENT), old.decision().interventions());
      assertEquals(List.of("high value"), old.decision().rowReasons());
      assertEquals("France", old.inputs().get("Country"));
      assertEquals(new BigDecimal("88.5"), old.decision().input().valuePercentile());
      assertEquals(1, old.decision().input().recentContacts());
      // the retention purge removes it with its own outcome, and leaves the shared ones
      log.purgeOlderThan(Duration.ZERO);
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM decision_outcomes"));
      assertTrue(log.latest("old-1").isEmpty());
    }
  }
}
