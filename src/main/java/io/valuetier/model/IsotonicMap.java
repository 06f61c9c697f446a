package io.valuetier.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A non-decreasing map from a model's score to expected spend, fitted by isotonic regression: the scores are cut into
 * bins of equal size, the mean spend of each bin is pooled with its neighbours wherever it would decrease (pool
 * adjacent violators, weighted by bin size), and scores between bin centres are interpolated linearly. The map keeps
 * the order of the scores, and its total over the rows it was fitted on is about their actual total.
 */
public final class IsotonicMap implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] score;
  private final double[] spend;

  private IsotonicMap(double[] score, double[] spend) {
    this.score = score;
    this.spend = spend;
  }

  /**
   * Fits the map.
   *
   * @param scores the model's scores
   * @param actual what each row spent
   * @param binSize rows per bin (at least 1)
   */
  public static IsotonicMap fit(double[] scores, double[] actual, int binSize) {
    int n = scores.length;
    if (n == 0) {
      throw new IllegalArgumentException("no rows to calibrate on");
    }
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
    int bins = Math.max(1, n / Math.max(1, binSize));
    double[] x = new double[bins];
    double[] y = new double[bins];
    double[] w = new double[bins];
    for (int b = 0; b < bins; b++) {
      int from = (int) ((long) n * b / bins);
      int to = (int) ((long) n * (b + 1) / bins);
      for (int k = from; k < to; k++) {
        x[b] += scores[idx[k]];
        y[b] += actual[idx[k]];
      }
      w[b] = to - from;
      x[b] /= w[b];
      y[b] /= w[b];
    }
    // Pool adjacent violators on the bin means.
    double[] py = new double[bins];
    double[] pw = new double[bins];
    double[] px = new double[bins];
    int[] count = new int[bins];
    int m = 0;
    for (int b = 0; b < bins; b++) {
      py[m] = y[b];
      pw[m] = w[b];
      px[m] = x[b] * w[b];
      count[m] = 1;
      m++;
      while (m > 1 && py[m - 2] > py[m - 1]) {
        double tw = pw[m - 2] + pw[m - 1];
        py[m - 2] = (py[m - 2] * pw[m - 2] + py[m - 1] * pw[m - 1]) / tw;
        px[m - 2] += px[m - 1];
        pw[m - 2] = tw;
        count[m - 2] += count[m - 1];
        m--;
      }
    }
    double[] s = new double[m];
    double[] v = new double[m];
    for (int k = 0; k < m; k++) {
      s[k] = px[k] / pw[k];
      v[k] = py[k];
    }
    return new IsotonicMap(s, v);
  }

  /**
   * Expected spend for a score: interpolated between bin centres; beyond the first and last centre the score keeps its
   * meaning of {@code log(1 + spend)}, so spend changes by the factor {@code exp(score - centre)} (no ties among the
   * customers beyond the last centre, who are the most valuable).
   */
  public double apply(double s) {
    if (s <= score[0]) {
      return spend[0] * Math.exp(s - score[0]);
    }
    int last = score.length - 1;
    if (s >= score[last]) {
      return spend[last] * Math.exp(s - score[last]);
    }
    int k = Arrays.binarySearch(score, s);
    if (k >= 0) {
      return spend[k];
    }
    int hi = -k - 1;
    int lo = hi - 1;
    double t = (s - score[lo]) / (score[hi] - score[lo]);
    return spend[lo] + t * (spend[hi] - spend[lo]);
  }

  /** Number of pooled steps. */
  public int steps() {
    return score.length;
  }
}
