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
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0 && zbar[i] > 0) {
        ux[k] = x[i];
        uz[k++] = zbar[i];
      }
    }
    double[] best =
        NelderMead.minimize(
            th -> {
              // a flat likelihood ridge (no visible dropout in a short history) would send a -> 0, b -> infinity:
              // keep every parameter within e^-12..e^12, where the predictions no longer change
              for (double v : th) {
                if (Math.abs(v) > 12) {
                  return Double.POSITIVE_INFINITY;
                }
              }
              GammaGamma g;
              try {
                g = new GammaGamma(Math.exp(th[0]), Math.exp(th[1]), Math.exp(th[2]));
              } catch (IllegalArgumentException ex) {
                return Double.POSITIVE_INFINITY;
              }
              double ll = 0;
              for (int i = 0; i < ux.length; i++) {
                ll += g.logLikelihood(ux[i], uz[i]);
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
