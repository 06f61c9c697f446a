package io.valuetier.model.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The metrics of customer-value prediction, comparing predicted with actual spend per customer over a holdout.
 *
 * @param customers customers compared
 * @param spearman rank correlation of predicted and actual spend (ties get their mean rank)
 * @param normalizedGini Gini of actual spend ordered by prediction over the Gini of the perfect order (1 is perfect,
 *     0 random); tied predictions share their actual spend evenly, so the order of ties does not matter
 * @param topDecileCapture share of the actual spend made by the 10% of customers with the highest predictions
 * @param topDecileLift {@code topDecileCapture / 0.1}
 * @param mae mean absolute error per customer
 * @param rmse root mean squared error per customer
 * @param predictedTotal sum of predictions
 * @param actualTotal sum of actual spend
 * @param totalError {@code predictedTotal / actualTotal - 1}
 * @param decileMape mean over the ten prediction deciles of |predicted - actual| / |actual| of the decile's totals
 * @param buyAuc area under the ROC curve of the purchase probability against "bought in the holdout"
 * @param buyBrier mean squared difference between the purchase probability and "bought in the holdout" (0 or 1)
 */
public record ModelMetrics(
    int customers,
    double spearman,
    double normalizedGini,
    double topDecileCapture,
    double topDecileLift,
    double mae,
    double rmse,
    double predictedTotal,
    double actualTotal,
    double totalError,
    double decileMape,
    double buyAuc,
    double buyBrier) {

  /** The metrics as a map with the names of the evaluation output (JSON, model cards, registry log). */
  public Map<String, Object> asMap() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("customers", customers());
    r.put("spearman", spearman());
    r.put("normalized_gini", normalizedGini());
    r.put("top_decile_capture", topDecileCapture());
    r.put("top_decile_lift", topDecileLift());
    r.put("mae", mae());
    r.put("rmse", rmse());
    r.put("predicted_total", predictedTotal());
    r.put("actual_total", actualTotal());
    r.put("total_error", totalError());
    r.put("decile_mape", decileMape());
    r.put("buy_auc", buyAuc());
    r.put("buy_brier", buyBrier());
    return r;
  }

  /** All metrics; {@code probability} and {@code bought} may be null (no AUC then). */
  public static ModelMetrics of(double[] predicted, double[] actual, double[] probability, boolean[] bought) {
    int n = predicted.length;
    if (n == 0 || actual.length != n) {
      throw new IllegalArgumentException("need equally long, non-empty predictions and actuals");
    }
    double mae = 0;
    double mse = 0;
    double pt = 0;
    double at = 0;
    for (int i = 0; i < n; i++) {
      double e = predicted[i] - actual[i];
      mae += Math.abs(e) / n;
      mse += e * e / n;
      pt += predicted[i];
      at += actual[i];
    }
    double capture = topShare(predicted, actual, 0.1);
    return new ModelMetrics(
        n,
        spearman(predicted, actual),
        normalizedGini(actual, predicted),
        capture,
        capture / 0.1,
        mae,
        Math.sqrt(mse),
        pt,
        at,
        at == 0 ? Double.NaN : pt / at - 1,
        decileMape(predicted, actual),
        probability == null || bought == null ? Double.NaN : auc(probability, bought),
        probability == null || bought == null ? Double.NaN : brier(probability, bought));
  }

  /**
   * Spearman and normalized Gini of many predictions of the same actual spend, as {@link #of} computes them (the same
   * figures to the last bit), with the actual spend's ranks and perfect Gini computed once: what the trainer needs to
   * compare the variants of one model on a validation window, at two sorts per variant instead of seven.
   */
  public static final class Ranking {
    private final double[] actual;
    private final double[] actualRanks;
    private final double perfect;

    public Ranking(double[] actual) {
      this.actual = actual;
      this.actualRanks = ranks(actual);
      this.perfect = gini(actual, actual);
    }

    /** The metrics of {@code predicted} with only the customers, Spearman and normalized Gini filled (the rest NaN). */
    public ModelMetrics of(double[] predicted) {
      double spearman = pearson(ranks(predicted), actualRanks);
      double gini = perfect == 0 ? 0 : gini(actual, predicted) / perfect;
      double nan = Double.NaN;
      return new ModelMetrics(predicted.length, spearman, gini, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan);
    }
  }

  /** Ranks 1..n, ties sharing their mean rank. */
  static double[] ranks(double[] v) {
    int n = v.length;
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[idx[k]] = mean;
      }
      i = j + 1;
    }
    return r;
  }

  public static double spearman(double[] a, double[] b) {
    return pearson(ranks(a), ranks(b));
  }

  static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }

  /** Gini of {@code actual} ordered by {@code score} descending, ties averaged. */
  static double gini(double[] actual, double[] score) {
    int n = actual.length;
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> -score[i]));
    double total = 0;
    for (double a : actual) {
      total += a;
    }
    if (total == 0) {
      return 0;
    }
    double cum = 0;
    double sum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      double group = actual[idx[i]];
      while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
        j++;
        group += actual[idx[j]];
      }
      double each = group / (j - i + 1);
      for (int k = i; k <= j; k++) {
        cum += each;
        sum += cum / total;
      }
      i = j + 1;
    }
    return sum / n - (n + 1) / (2.0 * n);
  }

  public static double normalizedGini(double[] actual, double[] predicted) {
    double perfect = gini(actual, actual);
    return perfect == 0 ? 0 : gini(actual, predicted) / perfect;
  }

  /** Share of the actual total made by the top {@code fraction} of customers by score (ties by prediction order). */
  static double topShare(double[] score, double[] actual, double fraction) {
    int n = score.length;
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> -score[i]));
    int k = (int) Math.ceil(n * fraction);
    double top = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += actual[idx[i]];
      if (i < k) {
        top += actual[idx[i]];
      }
    }
    return total == 0 ? 0 : top / total;
  }

  static double decileMape(double[] predicted, double[] actual) {
    int n = predicted.length;
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> -predicted[i]));
    double sum = 0;
    int used = 0;
    for (int d = 0; d < 10; d++) {
      int from = (int) ((long) n * d / 10);
      int to = (int) ((long) n * (d + 1) / 10);
      double p = 0;
      double a = 0;
      for (int i = from; i < to; i++) {
        p += predicted[idx[i]];
        a += actual[idx[i]];
      }
      if (to > from && a != 0) {
        sum += Math.abs(p - a) / Math.abs(a);
        used++;
      }
    }
    return used == 0 ? Double.NaN : sum / used;
  }

  /** Brier score: the mean of {@code (probability - bought)^2}. */
  static double brier(double[] probability, boolean[] bought) {
    double sum = 0;
    for (int i = 0; i < probability.length; i++) {
      double d = probability[i] - (bought[i] ? 1 : 0);
      sum += d * d;
    }
    return sum / probability.length;
  }

  /** Mann-Whitney AUC with ties counted half. */
  static double auc(double[] score, boolean[] positive) {
    double[] r = ranks(score);
    long pos = 0;
    double rankSum = 0;
    for (int i = 0; i < score.length; i++) {
      if (positive[i]) {
        pos++;
        rankSum += r[i];
      }
    }
    long neg = score.length - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
