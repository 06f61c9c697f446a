package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.feedback.RuleSetComparison;
import io.valuetier.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Challenger rule sets for tests, written into a folder, and a batch run with one checked against the comparison. */
public final class ChallengerRuleSets {
  private ChallengerRuleSets() {}

  /**
   * A copy of the shipped rule set whose Gold tier ends at the 90th value percentile instead of the 95th (above it an
   * active customer is Platinum): a customer at percentile 92 is Gold for the champion and Platinum for the challenger.
   * The shipped test tables still pass (their Gold cases sit at percentile 88).
   */
  public static Path goldEndsAt90(Path dir) {
    return copy(dir, dmn -> {
      String changed = dmn.replace("<inputEntry id=\"vt-r4-c4\"><text>&gt;= 95</text>", "<inputEntry id=\"vt-r4-c4\"><text>&gt;= 90</text>")
          .replace("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>", "<inputEntry id=\"vt-r5-c4\"><text>[80..90)</text>");
      assertTrue(!changed.equals(dmn) && changed.contains("[80..90)"), "the shipped Gold row changed: update the test");
      return changed;
    }, csv -> csv);
  }

  /** The shipped rule set with a test table that expects Platinum where the rules say Gold: refused by the gate. */
  public static Path failingItsTests(Path dir) {
    return copy(dir, dmn -> dmn, csv -> {
      String changed = csv.replaceFirst(",Gold,CROSS_SELL_VOUCHER,", ",Platinum,CROSS_SELL_VOUCHER,");
      assertTrue(!changed.equals(csv));
      return changed;
    });
  }

  private static Path copy(Path dir, UnaryOperator<String> dmn,
      UnaryOperator<String> tests) {
    Path home = TestRuleSets.home();
    try {
      Files.createDirectories(dir.resolve("dmn/tests"));
      Files.createDirectories(dir.resolve("rules"));
      Files.writeString(dir.resolve("dmn/customer-tiering.dmn"),
          dmn.apply(Files.readString(home.resolve("dmn/customer-tiering.dmn"))));
      Files.writeString(dir.resolve("dmn/tests/customer-tiering.csv"),
          tests.apply(Files.readString(home.resolve("dmn/tests/customer-tiering.csv"))));
      Files.copy(home.resolve("rules/guardrails.drl"), dir.resolve("rules/guardrails.drl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** A registry of the shipped rules with {@code challengerDir} deciding {@code share} of the customers, started. */
  static RuleSetRegistry registry(Store store, Path challengerDir, double share) {
    RuleSetRegistry r = new RuleSetRegistry(TestRuleSets.home(), new RuleSetHistory(store), TestRuleSets.params())
        .withChallenger(new Challenger.Config(challengerDir, share, "test-salt"));
    r.start();
    return r;
  }

  /**
   * Decides the synthetic population with champion and challenger, gives every decision an outcome, and checks that
   * the comparison adds up to the run's decisions; returns it.
   */
  static RuleSetComparison.Comparison batchAndCompare(Store store, RuleSetRegistry registry) throws InterruptedException {
    SyntheticPopulation.write(store, 3000, 11);
    BatchDecider.Report r = new BatchDecider(
        DecisionEngine.of(registry, TestRuleSets.params(new BigDecimal("2000")),
            new ControlGroups(0.1, Map.of(), "s")),
        new DecisionLog(store, 100), new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();
    assertEquals(3000, r.decisions());
    String both = registry.active().version() + "+" + registry.challenger().orElseThrow().ruleSet().version();
    assertEquals(both, r.ruleSet());
    assertEquals(1, store.queryLong("SELECT COUNT(*) FROM decision_runs WHERE run_id = ? AND rule_set = ?", r.runId(),
        both), "the run records both rule sets that decided");
    store.execute("INSERT INTO outcomes (decision_id, customer_id, responded, purchased, revenue, window_days,"
        + " observed_at, source_id, line_no, updated_at) SELECT decision_id, customer_id, MOD(decision_id, 4) = 0,"
        + " MOD(decision_id, 8) = 0, MOD(decision_id, 8) * 5.5, 30, ?, 1, decision_id, ? FROM decisions"
        + " WHERE run_id = ?", Timestamp.from(Instant.now()), Timestamp.from(Instant.now()), r.runId());

    RuleSetComparison.Comparison c = RuleSetComparison.compute(store, r.runId());
    assertEquals(r.runId(), RuleSetComparison.latestRun(store));
    assertEquals(3000, c.decisions());
    assertEquals(2, c.ruleSets().size(), c.ruleSets()::toString);
    RuleSetComparison.Group champion = c.ruleSets().get(0);
    RuleSetComparison.Group challenger = c.ruleSets().get(1);
    assertEquals("champion", champion.role());
    assertEquals(registry.active().version(), champion.version());
    assertEquals("challenger", challenger.role());
    assertEquals(registry.challenger().orElseThrow().ruleSet().version(), challenger.version());
    assertEquals(3000, champion.customers() + challenger.customers());
    for (RuleSetComparison.Group g : c.ruleSets()) {
      assertEquals(g.customers(), store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ? AND rule_set_role = ?"
          + " AND rule_set = ?", r.runId(), g.role(), g.version()));
      assertEquals(g.customers(), g.tiers().values().stream().mapToLong(Long::longValue).sum());
      assertEquals(g.customers(), g.actions().values().stream().mapToLong(Long::longValue).sum());
      assertEquals(1.0, g.tierShare().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
      assertEquals(g.customers(), g.outcomes().customers(), "every decision has an outcome");
    }
    assertEquals(r.contacts(), champion.contacts() + challenger.contacts());
    assertEquals(r.controlGroup(), champion.controlGroup() + challenger.controlGroup());
    assertEquals(0, r.budgetSpent().compareTo(champion.offerCost().add(challenger.offerCost())));
    assertEquals(store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ? AND MOD(decision_id, 4) = 0",
        r.runId()), champion.outcomes().responders() + challenger.outcomes().responders());
    assertNotNull(c.responseRateDifference());
    assertEquals(challenger.outcomes().responseRate().estimate() - champion.outcomes().responseRate().estimate(),
        c.responseRateDifference().estimate(), 1e-12);
    assertNotNull(c.revenueDifference());
    assertTrue(c.revenueDifference().low() < c.revenueDifference().estimate());
    return c;
  }
}
