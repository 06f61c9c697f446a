package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.model.eval.ModelMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {
  static final double[] ACTUAL = {0, 0, 10, 0, 50, 5, 0, 100, 0, 20};

  @Test
  void theRankingOfManyPredictionsGivesTheSameSpearmanAndGiniAsTheFullMetricsToTheLastBit() {
    Random random = new Random(7);
    double[] actual = new double[5000];
    for (int i = 0; i < actual.length; i++) {
      // most customers spend nothing (ties), a few a lot
      actual[i] = random.nextDouble() < 0.7 ? 0 : Math.round(Math.exp(3 + 2 * random.nextGaussian()));
    }
    ModelMetrics.Ranking ranking = new ModelMetrics.Ranking(actual);
    for (int t = 0; t < 3; t++) {
      double[] predicted = new double[actual.length];
      for (int i = 0; i < predicted.length; i++) {
        predicted[i] = Math.round(actual[i] * random.nextDouble() * 4 + random.nextInt(5 + 20 * t));
      }
      ModelMetrics full = ModelMetrics.of(predicted, actual, null, null);
      ModelMetrics fast = ranking.of(predicted);
      assertEquals(full.spearman(), fast.spearman(), 0.0);
      assertEquals(full.normalizedGini(), fast.normalizedGini(), 0.0);
      assertEquals(actual.length, fast.customers());
    }
  }

  @Test
  void thePerfectOrderHasNormalizedGiniOneAndTheReverseMinusOne() {
    assertEquals(1, ModelMetrics.normalizedGini(ACTUAL, ACTUAL), 1e-12);
    double[] reverse = ACTUAL.clone();
    for (int i = 0; i < reverse.length; i++) {
      reverse[i] = -reverse[i];
    }
    assertEquals(-1, ModelMetrics.normalizedGini(ACTUAL, reverse), 1e-12);
  }

  @Test
  void tiedPredictionsShareTheirSpendWhateverTheirOrder() {
    double[] constant = new double[ACTUAL.length];
    assertEquals(0, ModelMetrics.normalizedGini(ACTUAL, constant), 1e-12);
  }

  @Test
  void spearmanGivesTiesTheirMeanRank() {
    // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
    assertEquals(0.8207826816681233, ModelMetrics.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}), 1e-12);
  }

  @Test
  void topDecileCaptureIsTheShareOfTheTopTenPercent() {
    double[] predicted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; // the last customer (actual 20) is predicted highest
    ModelMetrics m = ModelMetrics.of(predicted, ACTUAL, null, null);
    assertEquals(20.0 / 185, m.topDecileCapture(), 1e-12);
    assertEquals(10 * 20.0 / 185, m.topDecileLift(), 1e-12);
    assertEquals(55.0 / 185 - 1, m.totalError(), 1e-12);
  }

  @Test
  void maeAndRmseArePerCustomer() {
    ModelMetrics m = ModelMetrics.of(new double[] {1, 2, 3}, new double[] {1, 4, 0}, null, null);
    assertEquals(5.0 / 3, m.mae(), 1e-12);
    assertEquals(Math.sqrt(13.0 / 3), m.rmse(), 1e-12);
  }

  @Test
  void theAucOfAPerfectBuyScoreIsOne() {
    ModelMetrics m =
        ModelMetrics.of(new double[] {1, 2, 3}, new double[] {0, 1, 2}, new double[] {0.1, 0.6, 0.9},
            new boolean[] {false, true, true});
    assertEquals(1, m.buyAuc(), 1e-12);
  }
}
