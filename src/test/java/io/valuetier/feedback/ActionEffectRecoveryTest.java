package io.valuetier.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.bench.OutcomeSimulator;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.ControlGroups;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.ingest.IngestService;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop against a known truth: a synthetic population is decided by the real rules with control groups,
 * outcomes with a known effect per action are simulated and come back through the real outcomes route, and the
 * uplift report recovers each effect within its 95% confidence interval, an action without effect included.
 */
class ActionEffectRecoveryTest {
  @TempDir Path work;

  /** True effects on the chance to buy (percentage points as shares); every other action has none. */
  static final Map<String, Double> EFFECTS =
      Map.of("CROSS_SELL_VOUCHER", 0.12, "WELCOME_SERIES", 0.08, "NEWSLETTER", 0.0);

  @Test
  void theUpliftOfEachActionIsRecoveredWithinItsConfidenceInterval() throws Exception {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    try (Store store = Stores.open(s);
        IngestService ingest = new IngestService(s, store)) {
      SyntheticPopulation.write(store, 30_000, 5);
      // 30% of every action held out, half of the (rarer) welcome series
      ControlGroups control = new ControlGroups(0.3, Map.of("WELCOME_SERIES", 0.5), "effect-test");
      BatchDecider.Report run =
          new BatchDecider(
                  new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params(), control, null),
                  new DecisionLog(store, 200),
                  new BatchDecider.Options(2, 1000, true, Duration.ofDays(90)))
              .run();
      assertEquals(30_000, run.decisions());
      long heldOut = store.queryLong(
          "SELECT COUNT(*) FROM decisions WHERE control_group AND action_code = 'CROSS_SELL_VOUCHER'");
      long contactable = store.queryLong("SELECT COUNT(*) FROM decisions WHERE action_code = 'CROSS_SELL_VOUCHER'"
          + " AND (control_group OR channel IS NOT NULL)");
      assertEquals(0.3, (double) heldOut / contactable, 0.03, "30% of the contactable customers are held out");

      Path file = work.resolve("outcomes.csv");
      OutcomeSimulator truth = new OutcomeSimulator(0.4, 0.25, 0.0, EFFECTS, 17);
      truth.write(store, run.runId(), work.resolve("outcomes.first.csv"), LocalDate.of(2026, 1, 31), 30);
      IngestReport in = ingest.ingestOutcomes(work.resolve("outcomes.first.csv"));
      assertEquals(30_000, in.accepted());
      assertEquals(0, in.rejected());

      Map<String, OutcomeReport.Row> perAction =
          OutcomeReport.compute(store, run.runId(), false).stream()
              .collect(Collectors.toMap(OutcomeReport.Row::action, r -> r));
      for (Map.Entry<String, Double> e : EFFECTS.entrySet()) {
        OutcomeReport.Row r = perAction.get(e.getKey());
        assertTrue(r != null && r.control() > 300, () -> e.getKey() + " has a control group: " + r);
        Uplift.Difference u = r.purchaseUplift();
        assertTrue(u.contains(e.getValue()),
            () -> e.getKey() + ": true effect " + e.getValue() + " outside [" + u.low() + ", " + u.high() + "]");
        assertTrue(u.high() - u.low() < 0.15, () -> e.getKey() + ": the interval is informative: " + u);
      }
      assertTrue(perAction.get("CROSS_SELL_VOUCHER").purchaseUplift().significant(), "a 12 pp effect is detected");
      assertTrue(perAction.get("WELCOME_SERIES").purchaseUplift().significant(), "an 8 pp effect is detected");
      assertFalse(perAction.get("NEWSLETTER").purchaseUplift().significant(), "no effect, no false discovery");
      assertTrue(perAction.get("CROSS_SELL_VOUCHER").revenueUplift().estimate() > 0, "buyers bring revenue");

      // the intervals are calibrated: over 12 more simulated outcome periods of the same decisions, about 95% of the
      // per-action intervals cover the true effect (36 intervals: 1.8 misses expected; more than 5 has chance < 1%)
      int intervals = 0, misses = 0;
      for (long seed = 100; seed < 112; seed++) {
        new OutcomeSimulator(0.4, 0.25, 0.0, EFFECTS, seed).write(store, run.runId(), file, LocalDate.of(2026, 1, 31), 30);
        assertEquals(30_000, ingest.ingestOutcomes(file).accepted());
        for (OutcomeReport.Row r : OutcomeReport.compute(store, run.runId(), false)) {
          if (EFFECTS.containsKey(r.action())) {
            intervals++;
            misses += r.purchaseUplift().contains(EFFECTS.get(r.action())) ? 0 : 1;
          }
        }
      }
      assertEquals(36, intervals);
      assertTrue(misses <= 5, misses + " of 36 intervals miss the true effect");

      // per tier and action: every cell with a real control group covers its true effect, or nearly every one
      ingest.ingestOutcomes(work.resolve("outcomes.first.csv"));
      List<OutcomeReport.Row> cells = OutcomeReport.compute(store, run.runId(), true).stream()
          .filter(r -> EFFECTS.containsKey(r.action()) && r.control() >= 100).toList();
      long covered = cells.stream().filter(r -> r.purchaseUplift().contains(EFFECTS.get(r.action()))).count();
      assertTrue(cells.size() >= 3, "cells: " + cells.size());
      assertTrue(covered >= cells.size() - 1, covered + " of " + cells.size() + " tier cells cover the true effect");
    }
  }
}
