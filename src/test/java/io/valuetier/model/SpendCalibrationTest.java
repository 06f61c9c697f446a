package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Totals and conformal intervals fitted on a window and checked on a fresh draw of the same customers' behaviour. */
class SpendCalibrationTest {
  private static final SeasonalFactor NONE = SeasonalFactor.none("test");


  /** Customers who buy with probability 0.3 and then spend an exponential amount with mean {@code 2 * predicted}. */
  static double[][] draw(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] predicted = new double[n];
    double[] actual = new double[n];
    for (int i = 0; i < n; i++) {
      predicted[i] = 10 + 90 * r.nextDouble();
      actual[i] = r.nextDouble() < 0.3 ? -2 * predicted[i] * Math.log(1 - r.nextDouble()) : 0;
    }
    return new double[][] {predicted, actual};
  }

  @Test
  void theTotalsFactorMakesTheWindowsPredictedTotalItsActualTotal() {
    double[][] w = draw(5000, 1);
    SpendCalibration c = SpendCalibration.fit(w[0], w[1], 1, "w", 0.8, 10, 2, true, NONE);
    double total = 0;
    double actual = 0;
    for (int i = 0; i < w[0].length; i++) {
      total += c.scale() * w[0][i];
      actual += w[1][i];
    }
    assertEquals(actual, total, 1e-6 * actual);
    assertEquals(0.6, c.scale(), 0.05); // 0.3 buy, mean 2x the prediction
  }

  @Test
  void eightyPercentIntervalsCoverEightyPercentOfANewDrawEvenWithMostCustomersBuyingNothing() {
    double[][] w = draw(5000, 1);
    SpendCalibration c = SpendCalibration.fit(w[0], w[1], 1, "w", 0.8, 10, 2, true, NONE);
    double[][] holdout = draw(20000, 2);
    int inside = 0;
    for (int i = 0; i < holdout[0].length; i++) {
      double[] iv = c.interval(c.scale() * holdout[0][i]);
      inside += holdout[1][i] >= iv[0] && holdout[1][i] <= iv[1] ? 1 : 0;
    }
    assertEquals(0.8, (double) inside / holdout[0].length, 0.02);
  }

  @Test
  void theConformalBoundsOfABinWithAMassAtZeroStartAtZeroAndStopAtTheNominalQuantile() {
    double[] sorted = new double[100];
    for (int i = 70; i < 100; i++) {
      sorted[i] = i - 69; // 70 zeros, then 1..30
    }
    // lower: 0; upper: ceil(101 * 0.8) = 81 values from the lowest, the 81st value is 11
    assertArrayEquals(new double[] {0, 11}, SpendCalibration.bounds(sorted, 0.8));
  }

  @Test
  void aTrainedModelsCalibrationScalesEveryPredictionByOneFactorSoTheOrderOfCustomersStays() {
    Trainer.Result r = TestData.sampleTraining();
    LearnedModel gbt = (LearnedModel) r.candidate("gbt").model();
    SpendCalibration c = gbt.spendCalibration();
    assertTrue(c != null && c.window().endsWith(".." + TestData.SAMPLE_CUTOFF) && c.windowRatio() > 0, String.valueOf(c));
    LearnedModel raw = gbt.calibrated(null);
    FeatureTable table =
        FeatureTable.at(TestData.cdnowSample(), (int) TestData.SAMPLE_CUTOFF.toEpochDay(), new FeatureBuilder(r.spec()));
    for (int i = 0; i < table.size(); i += 7) {
      double calibrated = gbt.predict(table.row(i)).spend();
      assertEquals(c.scale() * raw.predict(table.row(i)).spend(), calibrated, 1e-9 * Math.max(1, calibrated));
      double[] iv = gbt.interval(calibrated);
      assertTrue(iv[0] <= iv[1], i + " " + iv[0] + ".." + iv[1]);
    }
  }

  @Test
  void aRecordedButNotAppliedRatioLeavesPredictionsAndIntervalsAsTheyAre() {
    double[][] w = draw(5000, 1);
    SpendCalibration applied = SpendCalibration.fit(w[0], w[1], 1, "w", 0.8, 10, 2, true, NONE);
    SpendCalibration recorded = SpendCalibration.fit(w[0], w[1], 1, "w", 0.8, 10, 2, false, NONE);
    assertEquals(1, recorded.scale());
    assertEquals(applied.scale(), recorded.windowRatio(), 1e-12);
    // the same interval around the same customer, whichever way the prediction is expressed
    assertArrayEquals(applied.interval(applied.scale() * 50), recorded.interval(50), 1e-9);
  }

  @Test
  void theTotalsFactorStaysWithinItsLimitsWhenTheWindowIsFarOff() {
    double[] predicted = {10, 10, 10};
    double[] actual = {100, 100, 100};
    assertTrue(SpendCalibration.fit(predicted, actual, 1, "w", 0.8, 10, 2, true, NONE).scale() == 2);
  }

  @Test
  void withATotalsForecastTheIntervalsAreTheSpreadAroundAPredictionOfTheRightLevel() {
    // a model that predicts twice what customers spend, on its validation window and on the next draw; the totals
    // forecast halves its predictions, and the intervals, measured around the window's predictions brought to the
    // window's level, cover 80% of the next draw around the halved predictions
    double[][] w = draw(5000, 1);
    double[] twice = new double[w[0].length];
    for (int i = 0; i < twice.length; i++) {
      twice[i] = 2 * w[0][i]; // customers spend 0.6 x the draw's prediction (see draw), so 0.3 x this
    }
    SeasonalFactor half = new SeasonalFactor(0.3, 30, 100, "test: forecast 0.3 x the prediction");
    SpendCalibration c = SpendCalibration.fit(twice, w[1], 1, "w", 0.8, 10, 2, false, half);
    assertEquals(0.3, c.scale(), 1e-12);
    double[][] holdout = draw(20000, 2);
    int inside = 0;
    for (int i = 0; i < holdout[0].length; i++) {
      double[] iv = c.interval(c.scale() * 2 * holdout[0][i]);
      inside += holdout[1][i] >= iv[0] && holdout[1][i] <= iv[1] ? 1 : 0;
    }
    assertEquals(0.8, (double) inside / holdout[0].length, 0.02);
    // measured around the model's own level, the same intervals would move with the forecast and miss
    SpendCalibration unleveled = SpendCalibration.fit(twice, w[1], 1, "w", 0.8, 10, 2, false, NONE);
    int missed = 0;
    for (int i = 0; i < holdout[0].length; i++) {
      double[] iv = unleveled.interval(2 * holdout[0][i]);
      double[] moved = {0.3 * iv[0], 0.3 * iv[1]};
      missed += holdout[1][i] >= moved[0] && holdout[1][i] <= moved[1] ? 0 : 1;
    }
    double coverage = 1 - (double) missed / holdout[0].length;
    assertTrue(Math.abs(coverage - 0.8) > 0.04, "coverage " + coverage); // 73.8% with this seed
  }
}
