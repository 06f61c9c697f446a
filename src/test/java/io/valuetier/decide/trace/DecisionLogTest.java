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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    return new Decision(id, customer, Instant.now().truncatedTo(ChronoUnit.MILLIS), "rules-7", Challenger.CHAMPION,
        "gbm", "3", "Gold", guardrails.isEmpty() ? "CROSS_SELL" : "NO_CONTACT", guardrails.isEmpty() ? "EMAIL" : null,
        null, 2, null, "PRIORITY", new BigDecimal("1234.50"), false, "CROSS_SELL",
        "Value Tier#4;Marketing Action#3;Service Level#5", rowReasons, guardrails,
        guardrails.stream().map(Intervention::rule).toList(), input(customer));
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
}
