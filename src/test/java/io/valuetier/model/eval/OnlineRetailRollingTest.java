package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rolling-origin backtest on the two-year Online Retail log (seven month-end cutoffs, 5,939 customers), with the
 * shipped settings and seed: the totals marketing budgets on, at every cutoff. README, "Rolling-origin backtests".
 * Without the mlp baseline, which is never a candidate for champion (its figures are asserted by
 * {@link RollingBacktestTest}) and took half of this test's time: the champion's figures are the same without it.
 */
@Tag("slow")
class OnlineRetailRollingTest {
  static RollingBacktest.Report report;

  @BeforeAll
  static void run() {
    report =
        RollingBacktest.run(
            TestData.onlineRetailTwoYears(),
            ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "gbt,btyd,naive"))),
            new RollingBacktest.Options(184, 12, 1), c -> {});
  }

  @Test
  void everyMonthEndWithAYearBeforeItAndAFullHoldoutAfterIsACutoff() {
    assertEquals(LocalDate.of(2010, 11, 30), report.plan().cutoffs().getFirst());
    assertEquals(LocalDate.of(2011, 5, 31), report.plan().cutoffs().getLast());
    assertEquals(7, report.cutoffs().size());
  }

  @Test
  void theChampionsTotalIsWithinFifteenPercentOfWhatCustomersSpentAtEveryCutoff() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      double bias = c.model("champion").holdout().totalError();
      assertEquals(0, bias, 0.15, c.cutoff() + " " + c.model("champion").chosen() + " total bias " + bias);
    }
  }

  @Test
  void theChampionBeatsBtydOnSpearmanAndGiniAtEveryCutoff() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      ModelMetrics champion = c.model("champion").holdout();
      ModelMetrics btyd = c.model("btyd").holdout();
      assertTrue(champion.spearman() > btyd.spearman(), c.cutoff() + " " + champion.spearman() + " " + btyd.spearman());
      assertTrue(champion.normalizedGini() > btyd.normalizedGini(),
          c.cutoff() + " Gini " + champion.normalizedGini() + " " + btyd.normalizedGini());
    }
  }

  @Test
  void theChampionBeatsTheNaiveModelOnBothRankFiguresOnTheRollingMean() {
    RollingBacktest.Summary champion = report.summary("champion");
    RollingBacktest.Summary naive = report.summary("naive");
    assertTrue(champion.spearman().mean() > naive.spearman().mean());
    assertTrue(champion.normalizedGini().mean() > naive.normalizedGini().mean());
  }

  @Test
  void theEightyPercentIntervalsCoverWithinFivePointsOfEightyAtEveryCutoff() {
    // 76.9% to 79.0% measured (README)
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      double coverage = c.model("champion").intervalCoverage();
      assertEquals(0.8, coverage, 0.05, c.cutoff() + " coverage " + coverage);
    }
  }
}
