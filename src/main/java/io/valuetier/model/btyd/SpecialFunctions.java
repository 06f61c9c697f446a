package io.valuetier.model.btyd;

/** The special functions the BTYD likelihoods need. */
final class SpecialFunctions {
  private SpecialFunctions() {}

  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
  };

  /** ln Gamma(x) for x > 0 (Lanczos, g = 7; relative error below 1e-13). */
  static double lgamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** ln Gamma(s + n) - ln Gamma(s) for a whole number n >= 0: a short product when n is small. */
  static double lgammaRatio(double s, int n) {
    if (n > 40) {
      return lgamma(s + n) - lgamma(s);
    }
    double prod = 1;
    double logSum = 0;
    for (int i = 0; i < n; i++) {
      prod *= s + i;
      if (prod > 1e250 || prod < 1e-250) {
        logSum += Math.log(prod);
        prod = 1;
      }
    }
    return logSum + Math.log(prod);
  }

  /**
   * The Gauss hypergeometric series 2F1(a, b; c; z) for 0 <= z < 1, summed until the terms no longer matter.
   *
   * @throws ArithmeticException when the series has not converged after a million terms
   */
  static double hyp2f1(double a, double b, double c, double z) {
    double term = 1;
    double sum = 1;
    for (int n = 0; n < 1_000_000; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) <= 1e-15 * Math.abs(sum) && n > 2) {
        return sum;
      }
      if (term == 0) {
        return sum;
      }
    }
    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge");
  }
}
