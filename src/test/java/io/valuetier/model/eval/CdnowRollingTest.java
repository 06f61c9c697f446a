package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rolling-origin backtest on CDNOW master (six month-end cutoffs 1997-06-30..1997-11-30, 23,502 customers, one
 * acquisition cohort and 18 months, so no totals forecast), with the shipped settings and seed: the bars at
 * every cutoff. README, "Rolling-origin backtests". Without the mlp baseline, never a candidate for champion.
 */
@Tag("slow")
class CdnowRollingTest {
  static RollingBacktest.Report report;

  @BeforeAll
  static void run() {
    report =
        RollingBacktest.run(
            TestData.cdnowMaster(),
            ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "gbt,btyd,naive"))),
            new RollingBacktest.Options(184, 12, 1), c -> {});
  }

  @Test
  void theChampionBeatsBtydOnSpearmanAndGiniAtEveryCutoff() {
    assertEquals(6, report.cutoffs().size());
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      ModelMetrics champion = c.model("champion").holdout();
      ModelMetrics btyd = c.model("btyd").holdout();
      assertTrue(champion.spearman() > btyd.spearman(), c.cutoff() + " " + champion.spearman() + " " + btyd.spearman());
      assertTrue(champion.normalizedGini() > btyd.normalizedGini(),
          c.cutoff() + " Gini " + champion.normalizedGini() + " " + btyd.normalizedGini());
    }
  }

  @Test
  void theChampionsTotalIsWithinFifteenPercentOfWhatCustomersSpentAtEveryCutoff() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      double bias = c.model("champion").holdout().totalError();
      assertEquals(0, bias, 0.15, c.cutoff() + " " + c.model("champion").chosen() + " total bias " + bias);
    }
  }

  @Test
  void theChampionBeatsTheNaiveModelOnBothRankFiguresOnTheRollingMean() {
    RollingBacktest.Summary champion = report.summary("champion");
    RollingBacktest.Summary naive = report.summary("naive");
    assertTrue(champion.spearman().mean() > naive.spearman().mean(),
        champion.spearman().mean() + " " + naive.spearman().mean());
    assertTrue(champion.normalizedGini().mean() > naive.normalizedGini().mean(),
        champion.normalizedGini().mean() + " " + naive.normalizedGini().mean());
  }

  @Test
  void theChampionsEightyPercentIntervalsCoverSeventyFiveToEightyFivePercentAtEveryCutoff() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      double coverage = c.model("champion").intervalCoverage();
      // the bar: within 5 points of nominal (78.6-83.2% measured; README, "Intervals")
      assertEquals(0.8, coverage, 0.05, c.cutoff() + " coverage " + coverage);
    }
  }
}
