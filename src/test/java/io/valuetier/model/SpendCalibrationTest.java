package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Totals and prediction intervals fitted on a window and checked on a fresh draw of the same customers' behaviour. */
class SpendCalibrationTest {
  private static final SeasonalFactor NONE = SeasonalFactor.none("test");

  /**
   * Customers who buy with probability {@code p} (uniform in {@code [pLow, pHigh]}) and then spend an exponential
   * amount with mean {@code m}, uniform in [10, 100]; the model predicts {@code p * m} and {@code p}.
   *
   * @return {predicted, probability, actual}
   */
  static double[][] draw(int n, double pLow, double pHigh, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] predicted = new double[n];
    double[] probability = new double[n];
    double[] actual = new double[n];
    for (int i = 0; i < n; i++) {
      double m = 10 + 90 * r.nextDouble();
      probability[i] = pLow + (pHigh - pLow) * r.nextDouble();
      predicted[i] = probability[i] * m;
      actual[i] = r.nextDouble() < probability[i] ? -m * Math.log(1 - r.nextDouble()) : 0;
    }
    return new double[][] {predicted, probability, actual};
  }

  /** Customers who buy with probability 0.3, as most do in a horizon. */
  static double[][] draw(int n, long seed) {
    return draw(n, 0.3, 0.3, seed);
  }

  /** The same draw with {@code factor} times the predictions. */
  static double[][] predicting(double[][] d, double factor) {
    double[] predicted = d[0].clone();
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] *= factor;
    }
    return new double[][] {predicted, d[1], d[2]};
  }

  static SpendCalibration fit(double[][] w, double[] population, boolean applyTotals, SeasonalFactor seasonal) {
    return SpendCalibration.fit(w[0], w[1], w[2], "w", 0.8, 2, applyTotals, seasonal, population);
  }

  /** Share of {@code d}'s customers within their interval around {@code factor} times their prediction. */
  static double coverage(SpendCalibration c, double[][] d, double factor) {
    int inside = 0;
    for (int i = 0; i < d[0].length; i++) {
      double[] iv = c.interval(factor * d[0][i], d[1][i]);
      inside += d[2][i] >= iv[0] && d[2][i] <= iv[1] ? 1 : 0;
    }
    return (double) inside / d[0].length;
  }

  @Test
  void theTotalsFactorMakesTheWindowsPredictedTotalItsActualTotal() {
    double[][] w = predicting(draw(5000, 1), 0.6);
    SpendCalibration c = fit(w, w[1], true, NONE);
    double total = 0;
    double actual = 0;
    for (int i = 0; i < w[0].length; i++) {
      total += c.scale() * w[0][i];
      actual += w[2][i];
    }
    assertEquals(actual, total, 1e-6 * actual);
    assertEquals(1 / 0.6, c.scale(), 0.1); // the model predicts 60%
  }

  @Test
  void eightyPercentIntervalsCoverEightyPercentOfANewDrawFromLikelyBuyersToCustomersWhoMostlyBuyNothing() {
    double[][] w = draw(5000, 0.02, 0.99, 1);
    double[][] next = draw(20000, 0.02, 0.99, 2);
    SpendCalibration c = fit(w, next[1], false, NONE);
    assertEquals(0.8, coverage(c, next, 1), 0.015);
    // customers who buy with less than 20% chance get [0, 0], which covers more than 80%: the level is lower
    assertTrue(c.level() < 0.79, "level " + c.level());
    double tail = (1 - c.level()) / 2;
    for (int i = 0; i < next[0].length; i++) {
      double[] iv = c.interval(next[0][i], next[1][i]);
      double none = 1 - next[1][i];
      assertTrue(iv[0] <= next[0][i] && next[0][i] <= iv[1], i + " " + next[0][i] + " in " + iv[0] + ".." + iv[1]);
      if (none < 0.1) {
        assertTrue(iv[0] > 0, "a likely buyer's lower bound " + iv[0] + " at p " + next[1][i]);
      }
      if (none >= tail) {
        assertEquals(0, iv[0], "lower bound at p " + next[1][i]);
      }
    }
  }

  @Test
  void whenEveryCustomerIsLikelyToBuyTheLevelIsTheNominalCoverageAndTheIntervalsAreEqualTailed() {
    double[][] w = draw(5000, 0.95, 1, 1);
    double[][] next = draw(20000, 0.95, 1, 2);
    SpendCalibration c = fit(w, next[1], false, NONE);
    assertEquals(0.8, c.level(), 0.01);
    assertEquals(0.8, coverage(c, next, 1), 0.015);
    int below = 0;
    int above = 0;
    for (int i = 0; i < next[0].length; i++) {
      double[] iv = c.interval(next[0][i], next[1][i]);
      below += next[2][i] < iv[0] ? 1 : 0;
      above += next[2][i] > iv[1] ? 1 : 0;
    }
    assertEquals(0.1, (double) below / next[0].length, 0.015);
    assertEquals(0.1, (double) above / next[0].length, 0.015);
  }

  @Test
  void aWindowShorterThanTheHorizonGivesTheSpreadOfBuyersAndTheHorizonsProbabilitiesGiveThePointMassAtZero() {
    // in a short window few customers buy (p 0.01..0.3); over the horizon more do (0.3..0.99)
    double[][] window = draw(5000, 0.01, 0.3, 1);
    double[][] horizon = draw(20000, 0.3, 0.99, 2);
    assertEquals(0.8, coverage(fit(window, horizon[1], false, NONE), horizon, 1), 0.015);
    // with its level set on the window's own customers, most of whom get [0, 0], the intervals cover far less
    double onWindow = coverage(fit(window, window[1], false, NONE), horizon, 1);
    assertTrue(onWindow < 0.74, "coverage " + onWindow);
  }

  @Test
  void theExpectedCoverageOfAnIntervalIsTheChanceOfNoPurchasePlusTheBuyersWithinIt() {
    double[] ratios = {0.5, 1, 1.5, 2, 5}; // a buyer spends 0.5, 1, 1.5, 2 or 5 times the conditional prediction
    // p 0.5, level 0.75: [0, the 0.5 quantile of the buyers] = [0, 1.5], covering 0.5 + 0.5 * 3/5
    assertArrayEquals(new double[] {0, 1.5}, SpendCalibration.ratioBounds(ratios, 0.75, 0.5));
    assertEquals(0.8, SpendCalibration.expectedCoverage(ratios, 0.75, 0.5), 1e-12);
    // p 1: equal-tailed, the 0.1 and 0.9 quantiles
    assertArrayEquals(new double[] {0.5, 5}, SpendCalibration.ratioBounds(ratios, 0.8, 1));
    // p 0.1: [0, 0] covers the 90% who buy nothing
    assertArrayEquals(new double[] {0, 0}, SpendCalibration.ratioBounds(ratios, 0.8, 0.1));
    assertEquals(0.9, SpendCalibration.expectedCoverage(ratios, 0.8, 0.1), 1e-12);
    // and the interval is widened to hold the prediction, its mean
    SpendCalibration c = new SpendCalibration(1, 1, 1, 1, "w", 0.8, null, null, null, NONE, ratios, 0.8);
    assertArrayEquals(new double[] {0, 20}, c.interval(20, 0.1), 1e-12);
    assertArrayEquals(new double[] {10, 100}, c.interval(20, 1), 1e-12);
  }

  @Test
  void theBuyersRatiosHaveMeanOneWithTheTopPercentCappedAndAreKeptAsAtMostAThousandQuantiles() {
    double[] r = new double[10_000];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < 9_950 ? 2 : 1000; // the top 0.5% spends 500 times more
    }
    double[] kept = SpendCalibration.ratios(r);
    assertEquals(SpendCalibration.MAX_RATIOS, kept.length);
    assertEquals(1, kept[0], 1e-12); // capped at 2, the mean is 2
    assertEquals(500, kept[kept.length - 1], 1e-9);
    assertArrayEquals(new double[] {1}, SpendCalibration.ratios(new double[0]));
  }

  @Test
  void aTrainedModelsCalibrationScalesEveryPredictionByOneFactorSoTheOrderOfCustomersStays() {
    Trainer.Result r = TestData.sampleTraining();
    LearnedModel gbt = (LearnedModel) r.candidate("gbt").model();
    SpendCalibration c = gbt.spendCalibration();
    assertTrue(c != null && c.window().endsWith(".." + TestData.SAMPLE_CUTOFF) && c.windowRatio() > 0, String.valueOf(c));
    assertTrue(c.level() > 0.3 && c.level() <= 0.8 && c.ratios().length > 10, c.level() + " " + c.ratios().length);
    LearnedModel raw = gbt.calibrated(null);
    FeatureTable table =
        FeatureTable.at(TestData.cdnowSample(), (int) TestData.SAMPLE_CUTOFF.toEpochDay(), new FeatureBuilder(r.spec()));
    for (int i = 0; i < table.size(); i += 7) {
      Prediction p = gbt.predict(table.row(i));
      assertEquals(c.scale() * raw.predict(table.row(i)).spend(), p.spend(), 1e-9 * Math.max(1, p.spend()));
      double[] iv = gbt.interval(p.spend(), p.probability());
      assertTrue(iv[0] <= p.spend() && p.spend() <= iv[1], i + " " + p.spend() + " in " + iv[0] + ".." + iv[1]);
      boolean likely = p.spend() > 0 && 1 - p.probability() < (1 - c.level()) / 2;
      assertTrue(iv[0] > 0 == likely, i + " " + iv[0] + " p " + p.probability());
    }
  }

  @Test
  void theIntervalsAreMultiplesOfThePredictionWhicheverFactorIsApplied() {
    double[][] w = predicting(draw(5000, 0.02, 0.99, 1), 0.5);
    SpendCalibration applied = fit(w, w[1], true, NONE);
    SpendCalibration recorded = fit(w, w[1], false, NONE);
    assertEquals(1, recorded.scale());
    assertEquals(applied.scale(), recorded.windowRatio(), 1e-12);
    assertEquals(2, applied.scale(), 0.1);
    double[] iv = recorded.interval(50, 0.95);
    assertArrayEquals(new double[] {applied.scale() * iv[0], applied.scale() * iv[1]},
        applied.interval(applied.scale() * 50, 0.95), 1e-9);
  }

  @Test
  void theTotalsFactorStaysWithinItsLimitsWhenTheWindowIsFarOff() {
    double[][] w = {{10, 10, 10}, {1, 1, 1}, {100, 100, 100}};
    assertTrue(fit(w, w[1], true, NONE).scale() == 2);
  }

  @Test
  void withATotalsForecastTheIntervalsAreTheSpreadAroundAPredictionOfTheRightLevel() {
    // a model that predicts twice what it should, on its validation window and on the next draw; the totals forecast
    // brings its predictions to the right level, and the intervals, the window's spread around it, cover 80%
    double[][] w = draw(5000, 0.02, 0.99, 1);
    double[][] twice = predicting(w, 2);
    SeasonalFactor right = new SeasonalFactor(1, 30, 100, "test: forecast 1 x the prediction");
    SeasonalFactor half = new SeasonalFactor(0.5, 30, 100, "test: forecast 0.5 x the prediction");
    double[][] next = draw(20000, 0.02, 0.99, 2);
    SpendCalibration c = fit(twice, next[1], false, half);
    assertEquals(0.5, c.scale(), 1e-12);
    assertEquals(0.8, coverage(c, next, 2 * c.scale()), 0.015);
    assertEquals(coverage(c, next, 2 * c.scale()), coverage(fit(w, next[1], false, right), next, 1), 1e-3);
  }

  @Test
  void aModelSavedWithBinnedIntervalsKeepsThem() {
    SpendCalibration legacy = new SpendCalibration(
        2, 1, 100, 100, "w", 0.8, new double[] {10}, new double[] {0, 0.5}, new double[] {3, 2}, NONE, null, 0);
    assertArrayEquals(new double[] {0, 30}, legacy.interval(10, 0.99), 1e-12); // 5 before scaling: the first bin
    assertArrayEquals(new double[] {20, 80}, legacy.interval(40, 0.1), 1e-12);
    assertNull(legacy.asMap().get("interval_level"));
  }
}
