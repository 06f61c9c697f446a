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
 * The targets on CDNOW master (calibration to 1997-09-30, holdout to 1998-06-30), with the shipped settings and
 * seed. Reference figures: lifetimes' BG/NBD + Gamma-Gamma on the same split, Spearman 0.421 and normalized Gini 0.672.
 */
@Tag("slow")
class CdnowBacktestTest {
  static Backtest.Report report;

  @BeforeAll
  static void run() {
    report =
        Backtest.run(
            TestData.cdnowMaster(), LocalDate.of(1997, 9, 30), LocalDate.of(1998, 6, 30),
            // without the mlp baseline, never a candidate for champion: the champion is the same, in less time
            ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "gbt,btyd,naive"))));
  }

  static ModelMetrics champion() {
    return report.model(report.champion()).holdout();
  }

  @Test
  void theChampionBeatsTheBtydReferenceOnSpearman() {
    assertTrue(champion().spearman() > 0.421, report.champion() + " Spearman " + champion().spearman());
  }

  @Test
  void theChampionBeatsTheBtydReferenceOnNormalizedGini() {
    assertTrue(champion().normalizedGini() > 0.672, report.champion() + " Gini " + champion().normalizedGini());
  }

  @Test
  void theChampionPredictsTheHoldoutTotalWithinTenPercent() {
    assertEquals(0, champion().totalError(), 0.10, report.champion() + " total error " + champion().totalError());
  }

  @Test
  void theChampionBeatsTheNaiveModelOnBothRankMetrics() {
    ModelMetrics naive = report.model("naive").holdout();
    assertTrue(champion().spearman() > naive.spearman(), champion().spearman() + " " + naive.spearman());
    assertTrue(champion().normalizedGini() > naive.normalizedGini(),
        champion().normalizedGini() + " " + naive.normalizedGini());
  }

  @Test
  void ourBtydBaselineReproducesTheLifetimesFigures() {
    ModelMetrics btyd = report.model("btyd").holdout();
    assertEquals(0.421, btyd.spearman(), 0.003);
    assertEquals(0.672, btyd.normalizedGini(), 0.003);
  }

  @Test
  void theHoldoutCoversEveryCustomerOfTheCohort() {
    assertEquals(23_500, champion().customers(), 100);
    assertEquals(273, report.horizonDays());
  }
}
