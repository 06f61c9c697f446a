package io.valuetier.model;

import java.util.Arrays;

/**
 * The value percentile of a predicted spend among a whole population's, from the population's spends alone: what
 * {@link ScoringService} computes by sorting every customer of a run, for a worker of the distributed batch that
 * holds a bucket's customers and the run's spends (sorted once). The same figure to the last bit: the share of the
 * other customers predicted to spend less, ties sharing their mean rank ({@code 100 * rank / (n - 1)}).
 */
public final class SpendRanks {
  private final double[] sorted;

  private SpendRanks(double[] sorted) {
    this.sorted = sorted;
  }

  /** The ranks among {@code spends} (copied; minus zero counts as zero, as the sort's ties do). */
  public static SpendRanks of(double[] spends) {
    double[] s = new double[spends.length];
    for (int i = 0; i < s.length; i++) {
      if (Double.isNaN(spends[i])) {
        throw new IllegalArgumentException("a predicted spend is not a number (customer " + i + " of the run)");
      }
      s[i] = spends[i] + 0.0; // -0.0 + 0.0 is 0.0: the tie test of the sort (==) puts them together
    }
    Arrays.sort(s);
    return new SpendRanks(s);
  }

  /** Customers in the population. */
  public int size() {
    return sorted.length;
  }

  /** 0..100: the percentile of {@code spend}, one of the population's. */
  public double percentile(double spend) {
    int n = sorted.length;
    if (n <= 1) {
      return 0;
    }
    double x = spend + 0.0;
    int less = bound(x, false);
    int upTo = bound(x, true);
    if (upTo == less) {
      throw new IllegalArgumentException("the spend " + spend + " is not one of the population's " + n);
    }
    double rank = (less + upTo - 1) / 2.0;
    return 100.0 * rank / (n - 1);
  }

  /** The number of spends below {@code x}, or up to it when {@code inclusive}. */
  private int bound(double x, boolean inclusive) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x || inclusive && sorted[mid] == x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
