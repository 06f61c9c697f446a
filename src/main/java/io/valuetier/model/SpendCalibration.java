package io.valuetier.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a learned model learns on its validation window, the latest complete window before its cutoff that it did not
 * train on: a factor that makes its predicted total match what customers spent there, and per-customer prediction
 * intervals by split conformal calibration.
 *
 * <p>Totals: {@code windowRatio = actual total / predicted total} on the window (kept within {@code [1/maxScale,
 * maxScale]}). When applied, every prediction is multiplied by it ({@code scale}), so the order of customers (and the
 * value percentiles) does not change. It is measured and recorded but not applied by default ({@code scale} 1): the
 * rolling backtests showed that the latest window's ratio does not carry over to the next horizon (on the Online
 * Retail split the low-season window says halve, the Christmas holdout needed +18% less, not 41% less; README,
 * "Rolling-origin backtests").
 *
 * <p>Intervals: the window's customers are put into {@code bins} groups by predicted spend; in each, the ratios {@code
 * actual / (w * predicted)} ({@code w} the window's ratio when applied, else 1) give the lower bound (the {@code
 * (1 - coverage) / 2} quantile) and the upper bound (the quantile that puts {@code coverage} of the customers
 * between the two, with the finite-sample correction of conformal prediction, {@code ceil((n + 1) coverage) / n}).
 * Most customers buy nothing in a horizon, so the lower bound is often 0 and the upper bound then sits at the {@code
 * coverage} quantile: an interval of nominal coverage, not a wider one.
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
 * @param edges upper edges of the bins in predicted spend (of the model's own horizon), ascending; the last bin is open
 * @param low per bin, the lower bound as a multiple of the prediction
 * @param high per bin, the upper bound as a multiple of the prediction
 * @param seasonal the seasonal factor in {@code scale} (null for a model trained before it existed)
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
    SeasonalFactor seasonal)
    implements Serializable {

  /** The window's level correction of the intervals stays within [1/8, 8]. */
  static final double MAX_LEVEL = 8;

  /**
   * Fits both on the window's predictions and actual spend; {@code horizonRatio} maps its horizon to the model's;
   * {@code applyTotals} says whether the totals factor is applied or only recorded; {@code seasonal} is applied.
   */
  static SpendCalibration fit(
      double[] predicted, double[] actual, double horizonRatio, String window, double coverage, int bins,
      double maxScale, boolean applyTotals, SeasonalFactor seasonal) {
    int n = predicted.length;
    double pt = 0;
    double at = 0;
    for (int i = 0; i < n; i++) {
      pt += predicted[i];
      at += actual[i];
    }
    double ratio = pt > 0 && at > 0 ? Math.min(maxScale, Math.max(1 / maxScale, at / pt)) : 1;
    double windowScale = applyTotals ? ratio : 1;
    double scale = windowScale * seasonal.factor();
    // With a totals forecast the prediction's level is the forecast's, so the intervals are the spread around a
    // prediction of the right level: the window's predictions are first brought to the window's actual total.
    double level = windowScale;
    if (!Double.isNaN(seasonal.forecast()) && pt > 0 && at > 0) {
      level = Math.min(MAX_LEVEL, Math.max(1 / MAX_LEVEL, at / pt));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(predicted[a], predicted[b]));
    int k = Math.max(1, Math.min(bins, n / 50));
    double[] edges = new double[k - 1];
    double[] low = new double[k];
    double[] high = new double[k];
    for (int b = 0; b < k; b++) {
      int from = (int) ((long) n * b / k);
      int to = (int) ((long) n * (b + 1) / k);
      if (b < k - 1) {
        edges[b] = predicted[order[to - 1]] * horizonRatio;
      }
      double[] r = new double[to - from];
      for (int i = from; i < to; i++) {
        double p = level * predicted[order[i]];
        r[i - from] = p > 0 ? actual[order[i]] / p : 0;
      }
      Arrays.sort(r);
      double[] bounds = bounds(r, coverage);
      low[b] = bounds[0];
      high[b] = bounds[1];
    }
    return new SpendCalibration(scale, ratio, pt, at, window, coverage, edges, low, high, seasonal);
  }

  /** The conformal lower and upper ratio of one bin's sorted ratios. */
  static double[] bounds(double[] sorted, double coverage) {
    int n = sorted.length;
    if (n == 0) {
      return new double[] {0, 0};
    }
    int lo = Math.max(0, (int) Math.floor((n + 1) * (1 - coverage) / 2) - 1);
    int below = 0;
    while (below < n && sorted[below] < sorted[lo]) {
      below++;
    }
    int wanted = (int) Math.ceil((n + 1) * coverage);
    int hi = Math.min(n - 1, below + wanted - 1);
    return new double[] {sorted[lo], sorted[hi]};
  }

  /** The interval of a (scaled) prediction: {@code {low, high}}. */
  public double[] interval(double spend) {
    int b = 0;
    double raw = spend / scale;
    while (b < edges.length && raw > edges[b]) {
      b++;
    }
    return new double[] {spend * low[b], spend * high[b]};
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
    m.put("interval_bins", low.length);
    m.put("interval_method", "split conformal on the window, bins by predicted spend, bounds as multiples of the prediction");
    return m;
  }
}
