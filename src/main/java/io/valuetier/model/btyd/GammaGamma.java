package io.valuetier.model.btyd;

import java.io.Serializable;

/**
 * The Gamma-Gamma model of spend per purchase (Fader and Hardie 2013): a customer's purchase amounts are Gamma(p, nu)
 * with {@code nu ~ Gamma(q, v)}. Fitted by maximum likelihood on customers with repeat purchases, from their number of
 * repeat purchases {@code x} and the mean amount {@code zbar} of those purchases.
 */
public record GammaGamma(double p, double q, double v) implements Serializable {

  public GammaGamma {
    if (!(p > 0 && q > 0 && v > 0)) {
      throw new IllegalArgumentException("Gamma-Gamma parameters must be positive: p=" + p + " q=" + q + " v=" + v);
    }
  }

  /** Fits the model; customers with {@code x == 0} or {@code zbar <= 0} are left out, as the model requires. */
  public static GammaGamma fit(int[] x, double[] zbar) {
    int n = 0;
    double mean = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0 && zbar[i] > 0) {
        n++;
        mean += zbar[i];
      }
    }
    if (n < 3) {
      throw new IllegalArgumentException("Gamma-Gamma needs at least 3 customers with repeat purchases, got " + n);
    }
    mean /= n;
    int[] ux = new int[n];
    double[] uz = new double[n];
    int filled = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0 && zbar[i] > 0) {
        ux[filled] = x[i];
        uz[filled++] = zbar[i];
      }
    }
    int maxX = 0;
    double[] logZ = new double[n];
    for (int i = 0; i < n; i++) {
      maxX = Math.max(maxX, ux[i]);
      logZ[i] = Math.log(uz[i]);
    }
    int[] count = new int[maxX + 1];
    for (int k : ux) {
      count[k]++;
    }
    double[] byX = new double[maxX + 1];
    int top = maxX;
    double[] best =
        NelderMead.minimize(
            th -> {
              for (double v : th) {
                if (Math.abs(v) > 12) {
                  return Double.POSITIVE_INFINITY;
                }
              }
              double p = Math.exp(th[0]);
              double q = Math.exp(th[1]);
              double v = Math.exp(th[2]);
              // the terms that depend on x only, once per distinct x
              double lgq = SpecialFunctions.lgamma(q);
              double qlv = q * Math.log(v);
              for (int k = 1; k <= top; k++) {
                if (count[k] > 0) {
                  double px = p * k;
                  byX[k] = SpecialFunctions.lgamma(px + q) - SpecialFunctions.lgamma(px) - lgq + qlv + px * Math.log(k);
                }
              }
              double ll = 0;
              for (int i = 0; i < ux.length; i++) {
                int k = ux[i];
                double px = p * k;
                ll += byX[k] + (px - 1) * logZ[i] - (px + q) * Math.log(k * uz[i] + v);
              }
              return -ll;
            },
            new double[] {0, 0, Math.log(mean)},
            1.0,
            1e-12,
            4000);
    return new GammaGamma(Math.exp(best[0]), Math.exp(best[1]), Math.exp(best[2]));
  }

  /** The log-likelihood of one customer's mean repeat amount. */
  public double logLikelihood(int x, double zbar) {
    double px = p * x;
    return SpecialFunctions.lgamma(px + q) - SpecialFunctions.lgamma(px) - SpecialFunctions.lgamma(q)
        + q * Math.log(v) + (px - 1) * Math.log(zbar) + px * Math.log(x) - (px + q) * Math.log(x * zbar + v);
  }

  /** The expected amount of the customer's next purchases; the population mean for customers without repeats. */
  public double expectedSpend(int x, double zbar) {
    if (x <= 0 || !(zbar > 0)) {
      return populationMean();
    }
    return p * (v + x * zbar) / (p * x + q - 1);
  }

  /** The mean spend per purchase over all customers: {@code p v / (q - 1)} (infinite when q <= 1). */
  public double populationMean() {
    return q > 1 ? p * v / (q - 1) : Double.POSITIVE_INFINITY;
  }
}
