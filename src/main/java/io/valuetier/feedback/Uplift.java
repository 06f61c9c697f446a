package io.valuetier.feedback;

/**
 * The effect of an action measured against its control group: the difference of response rates (treated minus
 * control) with a 95% confidence interval by Newcombe's hybrid score method (method 10 of Newcombe 1998), which
 * keeps its coverage for small groups and rates near 0 or 1 where the Wald interval fails; and the difference of mean
 * revenue per customer with a Welch interval.
 */
public final class Uplift {
  private static final double Z95 = 1.959963984540054;

  private Uplift() {}

  /** A rate difference and its 95% interval. */
  public record Difference(double estimate, double low, double high) {
    /** Whether the interval excludes zero. */
    public boolean significant() {
      return low > 0 || high < 0;
    }

    public boolean contains(double value) {
      return value >= low && value <= high;
    }
  }

  /** Wilson score interval of one proportion. */
  public static double[] wilson(long successes, long n) {
    if (n == 0) {
      return new double[] {0, 1};
    }
    double p = (double) successes / n;
    double z2 = Z95 * Z95;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /** Treated rate minus control rate, with Newcombe's hybrid score interval. */
  public static Difference responseRate(long treatedResponders, long treated, long controlResponders, long control) {
    if (treated == 0 || control == 0) {
      return new Difference(Double.NaN, Double.NaN, Double.NaN);
    }
    double p1 = (double) treatedResponders / treated;
    double p2 = (double) controlResponders / control;
    double[] w1 = wilson(treatedResponders, treated);
    double[] w2 = wilson(controlResponders, control);
    double d = p1 - p2;
    double low = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
    double high = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
    return new Difference(d, low, high);
  }

  /** Difference of two means with Welch's interval (normal approximation of the t quantile for large groups). */
  public static Difference meanDifference(
      double treatedMean, double treatedVariance, long treated, double controlMean, double controlVariance, long control) {
    if (treated < 2 || control < 2) {
      return new Difference(treatedMean - controlMean, Double.NaN, Double.NaN);
    }
    double se = Math.sqrt(treatedVariance / treated + controlVariance / control);
    double d = treatedMean - controlMean;
    double t = tQuantile975(welchDf(treatedVariance, treated, controlVariance, control));
    return new Difference(d, d - t * se, d + t * se);
  }

  static double welchDf(double v1, long n1, double v2, long n2) {
    double a = v1 / n1;
    double b = v2 / n2;
    double num = sq(a + b);
    double den = sq(a) / (n1 - 1) + sq(b) / (n2 - 1);
    return den == 0 ? n1 + n2 - 2 : num / den;
  }

  /** The 97.5% quantile of Student's t, by the Cornish-Fisher expansion (within 0.1% for df >= 3). */
  public static double tQuantile975(double df) {
    if (!(df > 0) || Double.isInfinite(df)) {
      return Z95;
    }
    double z = Z95;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    double z7 = z5 * z * z;
    return z
        + (z3 + z) / (4 * df)
        + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df);
  }

  private static double sq(double x) {
    return x * x;
  }
}
