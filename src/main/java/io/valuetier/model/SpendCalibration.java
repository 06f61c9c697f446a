package io.valuetier.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a learned model learns on its validation window, the latest complete window before its cutoff that it did not
 * train on: a factor that makes its predicted total match what customers spent there, and per-customer prediction
 * intervals.
 *
 * <p>Totals: {@code windowRatio = actual total / predicted total} on the window (kept within {@code [1/maxScale,
 * maxScale]}). When applied, every prediction is multiplied by it ({@code scale}), so the order of customers (and the
 * value percentiles) does not change. It is measured and recorded but not applied by default ({@code scale} 1): the
 * rolling backtests showed that the latest window's ratio does not carry over to the next horizon (on the Online
 * Retail split the low-season window says halve, the Christmas holdout needed +18% less, not 41% less; README,
 * "Rolling-origin backtests").
 *
 * <p>Intervals: each customer's spend over the horizon is read as a mixture, nothing with the model's probability of
 * no purchase {@code 1 - p}, else the conditional spend {@code prediction / p} times a ratio drawn from what the
 * window's buyers spent over their conditional prediction ({@code ratios}: {@code actual * p / predicted} of every
 * buyer, scaled to mean 1 with the top 1% capped at the 99th percentile, so that the mixture's mean is the prediction
 * and one outlier does not narrow everyone's interval). The interval at level {@code a} is equal-tailed where the
 * chance of no purchase is below the lower tail {@code (1 - a) / 2}, so that likely buyers get a positive lower bound;
 * elsewhere it is {@code [0, the a quantile]}. Where {@code 1 - p > a} it is {@code [0, 0]}, which covers more than
 * {@code a}: the level {@code a} is therefore chosen, once, so that the expected coverage over the customers the model
 * will score (their probabilities over the model's horizon, not the window's) is the nominal {@code coverage}. That is
 * also the correction for a window shorter than the horizon (CDNOW: 60 to 111 days against 184), where more customers
 * buy nothing: the point mass comes from the horizon's probabilities, only the buyers' spread from the window. Last,
 * an interval that does not hold the prediction (the mean, above the upper bound of a customer who likely buys
 * nothing) is widened to it, so that every interval is around its prediction; the level does not count it (it would
 * push the level far down to make up for customers covered anyway), which adds 0.5-3.4 points of coverage on CDNOW.
 * Measured on the rolling backtests, choosing {@code a} so that the window's own coverage is nominal did worse, as the
 * window's coverage does not carry over to the next horizon (README, "Rolling-origin backtests").
 *
 * <p>Totals forecast: every prediction is also multiplied by the model's {@link SeasonalFactor} (1 where the data
 * holds no forecast); its intervals move with it, as they are multiples of the prediction.
 *
 * @param scale the factor applied to predicted spend: the window's ratio when applied, times the seasonal factor
 * @param windowRatio actual over predicted total on the window, within the limits
 * @param predictedTotal predicted total on the window (before scaling)
 * @param actualTotal what the window's customers spent
 * @param window the window, e.g. {@code 1997-04-01..1997-09-30}
 * @param coverage nominal coverage of the intervals (e.g. 0.8)
 * @param edges legacy (models saved before the mixture intervals, null since): upper edges of the bins in predicted
 *     spend, ascending; the last bin is open
 * @param low legacy: per bin, the lower bound as a multiple of the prediction
 * @param high legacy: per bin, the upper bound as a multiple of the prediction
 * @param seasonal the seasonal factor in {@code scale} (null for a model trained before it existed)
 * @param ratios the buyers' ratios to their conditional prediction, sorted, at most {@link #MAX_RATIOS} (equal-share
 *     quantiles of the window's); null in models saved before the mixture intervals
 * @param level the level {@code a} of the mixture's intervals that gives the nominal coverage over the population
 */
public record SpendCalibration(
    double scale,
    double windowRatio,
    double predictedTotal,
    double actualTotal,
    String window,
    double coverage,
    double[] edges,
    double[] low,
    double[] high,
    SeasonalFactor seasonal,
    double[] ratios,
    double level)
    implements Serializable {

  /** The buyers' ratios kept: quantiles of equal share beyond this many. */
  static final int MAX_RATIOS = 1000;

  /** The share of buyers' ratios below the cap used to scale them to mean 1. */
  static final double RATIO_CAP_QUANTILE = 0.99;

  /**
   * Fits both on the window: the predictions of the validation model there ({@code predicted}, {@code probability} of
   * a purchase in the window) and what customers spent ({@code actual}); {@code applyTotals} says whether the totals
   * factor is applied or only recorded; {@code seasonal} is applied; {@code population} holds the final model's
   * probabilities of a purchase over its horizon for the customers it will score (the level of the intervals).
   */
  static SpendCalibration fit(
      double[] predicted, double[] probability, double[] actual, String window, double coverage, double maxScale,
      boolean applyTotals, SeasonalFactor seasonal, double[] population) {
    int n = predicted.length;
    double pt = 0;
    double at = 0;
    int buyers = 0;
    for (int i = 0; i < n; i++) {
      pt += predicted[i];
      at += actual[i];
      buyers += actual[i] > 0 && predicted[i] > 0 && probability[i] > 0 ? 1 : 0;
    }
    double ratio = pt > 0 && at > 0 ? Math.min(maxScale, Math.max(1 / maxScale, at / pt)) : 1;
    double scale = (applyTotals ? ratio : 1) * seasonal.factor();
    double[] r = new double[buyers];
    for (int i = 0, j = 0; i < n; i++) {
      if (actual[i] > 0 && predicted[i] > 0 && probability[i] > 0) {
        r[j++] = actual[i] * probability[i] / predicted[i];
      }
    }
    double[] ratios = ratios(r);
    double level = level(ratios, population, coverage);
    return new SpendCalibration(
        scale, ratio, pt, at, window, coverage, null, null, null, seasonal, ratios, level);
  }

  /**
   * The buyers' ratios sorted, scaled to mean 1 (values above the {@link #RATIO_CAP_QUANTILE} quantile counted at it),
   * kept as at most {@link #MAX_RATIOS} quantiles of equal share; {@code {1}} without a buyer.
   */
  static double[] ratios(double[] r) {
    int n = r.length;
    if (n == 0) {
      return new double[] {1};
    }
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    double cap = sorted[Math.max(0, (int) Math.ceil(RATIO_CAP_QUANTILE * n) - 1)];
    double sum = 0;
    for (double v : sorted) {
      sum += Math.min(v, cap);
    }
    double mean = sum / n;
    int k = Math.min(n, MAX_RATIOS);
    double[] kept = new double[k];
    for (int j = 0; j < k; j++) {
      kept[j] = sorted[(int) Math.ceil((double) (j + 1) * n / k) - 1] / mean;
    }
    return kept;
  }

  /**
   * The level {@code a} whose intervals cover {@code coverage} of the population in expectation (the smallest, by
   * bisection); the expected coverage does not depend on the predictions, only on the probabilities.
   */
  static double level(double[] ratios, double[] population, double coverage) {
    if (population.length == 0) {
      return coverage;
    }
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 40; it++) {
      double a = (lo + hi) / 2;
      double sum = 0;
      for (double p : population) {
        sum += expectedCoverage(ratios, a, p);
      }
      if (sum / population.length < coverage) {
        lo = a;
      } else {
        hi = a;
      }
    }
    return hi;
  }

  /** The chance that spend falls within the interval at level {@code a} of a customer who buys with {@code p}. */
  static double expectedCoverage(double[] ratios, double a, double p) {
    if (!(p > 0)) {
      return 1; // [0, 0] and nothing is bought
    }
    p = Math.min(1, p);
    double[] b = ratioBounds(ratios, a, p);
    double none = 1 - p;
    int k = ratios.length;
    int atMostHigh = b[1] > 0 ? upperRank(ratios, b[1]) : 0;
    if (b[0] > 0) {
      return p * (atMostHigh - lowerRank(ratios, b[0])) / k;
    }
    return none + p * atMostHigh / k;
  }

  /** The interval at level {@code a} in units of the conditional spend {@code prediction / p}: {@code {low, high}}. */
  static double[] ratioBounds(double[] ratios, double a, double p) {
    double none = 1 - p;
    double tail = (1 - a) / 2;
    if (none < tail) {
      return new double[] {quantile(ratios, (tail - none) / p), quantile(ratios, (tail + a - none) / p)};
    }
    double v = (a - none) / p;
    return new double[] {0, v > 0 ? quantile(ratios, v) : 0};
  }

  /** The lower quantile {@code u} of the sorted ratios. */
  private static double quantile(double[] sorted, double u) {
    int i = (int) Math.ceil(u * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** How many sorted values are at most {@code x}. */
  private static int upperRank(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** How many sorted values are below {@code x}. */
  private static int lowerRank(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The interval {@code {low, high}} of a (scaled) prediction {@code spend} of a customer who buys over the horizon
   * with probability {@code probability}, widened where needed to hold the prediction; a model saved before the
   * mixture intervals uses its bins and ignores the probability.
   */
  public double[] interval(double spend, double probability) {
    if (ratios == null) {
      int b = 0;
      double raw = spend / scale;
      while (b < edges.length && raw > edges[b]) {
        b++;
      }
      return new double[] {spend * low[b], spend * high[b]};
    }
    if (!(probability > 0) || !(spend > 0)) {
      return new double[] {0, 0};
    }
    double p = Math.min(1, probability);
    double[] b = ratioBounds(ratios, level, p);
    return new double[] {Math.min(spend, spend / p * b[0]), Math.max(spend, spend / p * b[1])};
  }

  /** The calibration as the model card records it. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window", window);
    m.put("predicted_total", predictedTotal);
    m.put("actual_total", actualTotal);
    m.put("window_ratio", windowRatio);
    m.put("total_scale_applied", scale);
    if (seasonal != null) {
      m.put("seasonal_factor", seasonal.factor());
      m.put("seasonal_basis", seasonal.basis());
    }
    m.put("interval_coverage", coverage);
    if (ratios == null) {
      m.put("interval_bins", low.length);
      m.put("interval_method",
          "split conformal on the window, bins by predicted spend, bounds as multiples of the prediction");
    } else {
      m.put("interval_level", level);
      m.put("interval_buyer_ratios", ratios.length);
      m.put("interval_method",
          "mixture: no purchase with the model's 1 - p, else prediction / p times a buyer's ratio of the window (mean"
              + " 1); equal-tailed where 1 - p is below the lower tail (1 - level) / 2, else from 0; the level gives"
              + " the nominal coverage in expectation over the customers at the cutoff");
    }
    return m;
  }
}
