package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rolling-origin backtest on the CDNOW 1/10 sample (2,357 customers, the bundled sample of CDNOW master, so that
 * six cutoffs with every algorithm stay within a minute), with the shipped settings and seed. The full data sets' figures
 * are in BENCHMARKS.md ("Rolling-origin backtests").
 */
class RollingBacktestTest {
  static final int HORIZON = 184;
  static RollingBacktest.Report report;
  static final List<LocalDate> heard = new ArrayList<>();

  @BeforeAll
  static void run() {
    report =
        RollingBacktest.run(
            TestData.cdnowSample(), ModelSettings.from(TestData.settings()),
            new RollingBacktest.Options(HORIZON, 12, 1), c -> heard.add(c.cutoff()));
  }

  @Test
  void cdnowsEighteenMonthsGetEveryMonthEndOfTheLaterHalfOfTheUsableSpan() {
    // the last cutoff with 184 days after it before 1998-06-30 is 1997-11-30; 12 months of history cannot fit, so the
    // history is half of 1997-01-01..1997-11-30 (167 days)
    List<LocalDate> expected = new ArrayList<>();
    for (int m = 6; m <= 11; m++) {
      expected.add(LocalDate.of(1997, m, 1).plusMonths(1).minusDays(1));
    }
    assertEquals(expected, report.plan().cutoffs());
    assertTrue(report.plan().reduced());
    assertEquals(167, report.plan().historyDays());
    assertEquals(expected, heard);
  }

  @Test
  void aLogWithMoreThanAYearGetsTwelveMonthsOfHistoryAndAFullHoldoutAfterEveryCutoff() {
    CustomerLog.Builder b = CustomerLog.builder();
    int first = (int) LocalDate.of(2022, 1, 1).toEpochDay();
    int last = (int) LocalDate.of(2024, 3, 15).toEpochDay();
    for (int d = first; d <= last; d += 3) {
      b.add("C" + d % 17, d, 10, 1, "P", "DE");
    }
    RollingBacktest.Plan plan = RollingBacktest.plan(b.build(), 90, 12);
    assertFalse(plan.reduced());
    assertEquals(LocalDate.of(2022, 12, 31), plan.cutoffs().getFirst());
    assertEquals(LocalDate.of(2023, 11, 30), plan.cutoffs().getLast());
    assertEquals(12, plan.cutoffs().size());
  }

  @Test
  void everyCutoffScoresTheCustomersWhoHadBoughtByThenOverAFullHorizon() {
    CustomerLog log = TestData.cdnowSample();
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      assertEquals(c.cutoff().plusDays(HORIZON), c.holdoutEnd());
      int bought = 0;
      CustomerLog seen = log.upTo((int) c.cutoff().toEpochDay());
      for (int i = 0; i < seen.size(); i++) {
        bought += seen.to(i) > seen.from(i) ? 1 : 0;
      }
      for (RollingBacktest.Entry e : c.models()) {
        assertEquals(bought, e.holdout().customers(), c.cutoff() + " " + e.algorithm());
      }
    }
  }

  @Test
  void theSummaryIsTheMeanOverTheCutoffsAndTheirWorstValue() {
    for (String a : List.of("gbt", "mlp", "btyd", "naive", "champion")) {
      double sum = 0;
      double min = 1;
      double far = 0;
      for (RollingBacktest.Cutoff c : report.cutoffs()) {
        sum += c.model(a).holdout().spearman();
        min = Math.min(min, c.model(a).holdout().spearman());
        double bias = c.model(a).holdout().totalError();
        far = Math.abs(bias) > Math.abs(far) ? bias : far;
      }
      RollingBacktest.Summary s = report.summary(a);
      assertEquals(sum / report.cutoffs().size(), s.spearman().mean(), 1e-12, a);
      assertEquals(min, s.spearman().worst(), 1e-12, a);
      assertEquals(far, s.totalBias().worst(), 1e-12, a);
      assertTrue(s.buyBrier().worst() >= s.buyBrier().mean(), a);
    }
  }

  @Test
  void theBaselinesRollingFiguresMatchTheirReferenceValues() {
    // golden figures of this seed and sample (BENCHMARKS.md); BG/NBD + Gamma-Gamma and the naive model are
    // deterministic fits, so only a changed protocol moves them
    assertEquals(0.385, report.summary("btyd").spearman().mean(), 0.005);
    assertEquals(0.626, report.summary("btyd").normalizedGini().mean(), 0.005);
    assertEquals(0.370, report.summary("naive").spearman().mean(), 0.005);
    assertEquals(0.670, report.summary("naive").normalizedGini().mean(), 0.005);
  }

  @Test
  void theMlpsProbabilityOfBuyingAgainRanksBetterThanBgNbdsProbabilityAliveOnTheRollingMean() {
    assertTrue(
        report.summary("mlp").buyAuc().mean() > report.summary("btyd").buyAuc().mean(),
        "mlp " + report.summary("mlp").buyAuc().mean() + " btyd " + report.summary("btyd").buyAuc().mean());
  }

  @Test
  void theMlpBaselineRanksAboveBgNbdOnTheRollingMean() {
    RollingBacktest.Summary mlp = report.summary("mlp");
    RollingBacktest.Summary btyd = report.summary("btyd");
    assertTrue(mlp.spearman().mean() > btyd.spearman().mean(), mlp.spearman() + " " + btyd.spearman());
    assertTrue(mlp.normalizedGini().mean() > btyd.normalizedGini().mean(),
        mlp.normalizedGini() + " " + btyd.normalizedGini());
  }

  @Test
  void theChampionsRollingMeanSpearmanBeatsTheNaiveModel() {
    // its Gini does not on this sample (0.664 against 0.670; it does on CDNOW master, CdnowRollingTest)
    assertTrue(report.summary("champion").spearman().mean() > report.summary("naive").spearman().mean());
  }

  @Test
  void theChampionBeatsBtydOnSpearmanAndGiniAtEveryCutoff() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      ModelMetrics champion = c.model("champion").holdout();
      ModelMetrics btyd = c.model("btyd").holdout();
      assertTrue(champion.spearman() > btyd.spearman() && champion.normalizedGini() > btyd.normalizedGini(),
          c.cutoff() + " " + champion + " " + btyd);
    }
  }

  @Test
  void theLearnedModelsIntervalsAreCheckedOnEveryHoldoutAndTheBaselinesHaveNone() {
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      for (String a : List.of("gbt", "mlp", "champion")) {
        double coverage = c.model(a).intervalCoverage();
        // nominal 80%, the bar +-5 points at every cutoff (gbt 78.6-82.7% measured, mlp 79.8-82.8%; README)
        assertTrue(coverage >= 0.75 && coverage <= 0.85, c.cutoff() + " " + a + " coverage " + coverage);
      }
      assertTrue(Double.isNaN(c.model("btyd").intervalCoverage()) && Double.isNaN(c.model("naive").intervalCoverage()));
    }
    assertEquals(0.8, report.summary("gbt").intervalCoverage().mean(), 0.05);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJsonGivesEveryCutoffsFiguresPerModelAndASummaryPerModel() {
    Map<String, Object> json = RollingReport.asMap(report);
    List<Map<String, Object>> cutoffs = (List<Map<String, Object>>) json.get("cutoffs");
    assertEquals(6, cutoffs.size());
    Map<String, Object> gbt = (Map<String, Object>) ((Map<String, Object>) cutoffs.getFirst().get("models")).get("gbt");
    for (String k : List.of("spearman", "normalized_gini", "top_decile_capture", "total_bias", "buy_auc", "buy_brier")) {
      assertTrue(gbt.get(k) instanceof Double, k);
    }
    Map<String, Object> summary = (Map<String, Object>) json.get("summary");
    assertEquals(List.of("gbt", "mlp", "btyd", "naive", "champion"), List.copyOf(summary.keySet()));
    Map<String, Object> sp = (Map<String, Object>) ((Map<String, Object>) summary.get("btyd")).get("spearman");
    assertEquals(report.summary("btyd").spearman().mean(), (Double) sp.get("mean"), 1e-12);
  }
}
