package io.valuetier.model.btyd;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The BG/NBD model (Fader, Hardie and Lee 2005): while alive a customer buys at a Poisson rate {@code lambda ~
 * Gamma(r, alpha)}; after each purchase they drop out with probability {@code p ~ Beta(a, b)}. A customer is summarised
 * by {@code x} (repeat purchases), {@code tx} (time of the last purchase after the first) and {@code T} (time since the
 * first purchase), all in the same unit (days in this project). Parameters are fitted by maximum likelihood.
 */
public record BgNbd(double r, double alpha, double a, double b) implements Serializable {

  public BgNbd {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
      throw new IllegalArgumentException("BG/NBD parameters must be positive: r=" + r + " alpha=" + alpha + " a=" + a + " b=" + b);
    }
  }

  /** Fits the model to customers {@code (x[i], tx[i], T[i])} by maximum likelihood. */
  public static BgNbd fit(int[] x, double[] tx, double[] tt) {
    if (x.length != tx.length || x.length != tt.length || x.length == 0) {
      throw new IllegalArgumentException("BG/NBD needs equally long, non-empty x, tx and T");
    }
    // Customers with the same summary contribute the same likelihood: fit on the distinct summaries with weights.
    record Key(int x, double tx, double t) {}
    Map<Key, Integer> counts = new HashMap<>();
    double meanT = 0;
    for (int i = 0; i < x.length; i++) {
      counts.merge(new Key(x[i], x[i] == 0 ? 0 : tx[i], tt[i]), 1, Integer::sum);
      meanT += tt[i] / x.length;
    }
    int m = counts.size();
    int[] ux = new int[m];
    double[] utx = new double[m];
    double[] ut = new double[m];
    double[] w = new double[m];
    int k = 0;
    for (Map.Entry<Key, Integer> e : counts.entrySet()) {
      ux[k] = e.getKey().x();
      utx[k] = e.getKey().tx();
      ut[k] = e.getKey().t();
      w[k++] = e.getValue();
    }
    Likelihood ll = new Likelihood(ux, utx, ut, w);
    double[] start = {0, Math.log(Math.max(meanT, 1e-3)), 0, 0};
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
              return -ll.value(Math.exp(th[0]), Math.exp(th[1]), Math.exp(th[2]), Math.exp(th[3]));
            },
            start,
            1.0,
            1e-12,
            4000);
    return new BgNbd(Math.exp(best[0]), Math.exp(best[1]), Math.exp(best[2]), Math.exp(best[3]));
  }

  /**
   * The total log-likelihood of weighted summaries, with everything that depends only on {@code x}, {@code T} or
   * {@code tx} computed once per distinct value: the fit evaluates it thousands of times.
   */
  private static final class Likelihood {
    private final int[] x;
    private final int[] tIndex;
    private final int[] txIndex;
    private final double[] w;
    private final double[] ts;
    private final double[] txs;
    private final int maxX;
    private final double[] logAlphaT;
    private final double[] logAlphaTx;
    private final double[] byX;

    Likelihood(int[] x, double[] tx, double[] t, double[] w) {
      this.x = x;
      this.w = w;
      this.ts = Arrays.stream(t).distinct().sorted().toArray();
      this.txs = Arrays.stream(tx).distinct().sorted().toArray();
      this.tIndex = new int[x.length];
      this.txIndex = new int[x.length];
      int mx = 0;
      for (int i = 0; i < x.length; i++) {
        tIndex[i] = Arrays.binarySearch(ts, t[i]);
        txIndex[i] = Arrays.binarySearch(txs, tx[i]);
        mx = Math.max(mx, x[i]);
      }
      this.maxX = mx;
      this.logAlphaT = new double[ts.length];
      this.logAlphaTx = new double[txs.length];
      this.byX = new double[mx + 1];
    }

    double value(double r, double alpha, double a, double b) {
      for (int i = 0; i < ts.length; i++) {
        logAlphaT[i] = Math.log(alpha + ts[i]);
      }
      for (int i = 0; i < txs.length; i++) {
        logAlphaTx[i] = Math.log(alpha + txs[i]);
      }
      double rLogAlpha = r * Math.log(alpha);
      double logA = Math.log(a);
      // byX[k] = ln Gamma(r+k)/Gamma(r) + ln Gamma(b+k)/Gamma(b) - ln Gamma(a+b+k)/Gamma(a+b), by recurrence
      double acc = 0;
      for (int k = 0; k <= maxX; k++) {
        byX[k] = acc;
        acc += Math.log(r + k) + Math.log(b + k) - Math.log(a + b + k);
      }
      double total = 0;
      for (int i = 0; i < x.length; i++) {
        int k = x[i];
        double a3 = -(r + k) * logAlphaT[tIndex[i]];
        double ll;
        if (k == 0) {
          ll = a3;
        } else {
          double a4 = logA - Math.log(b + k - 1) - (r + k) * logAlphaTx[txIndex[i]];
          double hi = Math.max(a3, a4);
          ll = hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
        }
        total += w[i] * (byX[k] + rLogAlpha + ll);
      }
      return total;
    }
  }

  /** The log-likelihood of one customer's summary. */
  public double logLikelihood(int x, double tx, double tt) {
    double a1 = SpecialFunctions.lgammaRatio(r, x) + r * Math.log(alpha);
    double a2 = SpecialFunctions.lgammaRatio(b, x) - SpecialFunctions.lgammaRatio(a + b, x);
    double a3 = -(r + x) * Math.log(alpha + tt);
    if (x == 0) {
      return a1 + a2 + a3;
    }
    double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
    double hi = Math.max(a3, a4);
    return a1 + a2 + hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
  }

  /** The probability that the customer is still alive at {@code T}. */
  public double probabilityAlive(int x, double tx, double tt) {
    if (x == 0) {
      return 1;
    }
    double logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + tt) / (alpha + tx));
    return 1 / (1 + Math.exp(logRatio));
  }

  /** The expected number of purchases in the {@code t} time units after {@code T}. */
  public double expectedPurchases(int x, double tx, double tt, double t) {
    if (t <= 0) {
      return 0;
    }
    double z = t / (alpha + tt + t);
    // Euler's transformation of 2F1(r+x, b+x; a+b+x-1; z) times (1-z)^(r+x): the series then converges quickly.
    double c = a + b + x - 1;
    double head = Math.pow(1 - z, a - 1) * SpecialFunctions.hyp2f1(a + b - 1 - r, a - 1, c, z);
    double numerator;
    if (Math.abs(a - 1) < 1e-9) {
      // a == 1 is a removable singularity: step off it a little.
      return new BgNbd(r, alpha, a + 2e-6, b).expectedPurchases(x, tx, tt, t);
    }
    numerator = c / (a - 1) * (1 - head);
    if (!Double.isFinite(numerator)) {
      // A fit near the no-dropout limit (a and b in the thousands) overflows Euler's form ((1-z)^(a-1) is 0 and the
      // series infinite); the direct series 2F1(r+x, b+x; c; z) converges there, since (b+x+n)/(c+n) < 1.
      numerator = c / (a - 1) * (1 - Math.pow(1 - z, r + x) * SpecialFunctions.hyp2f1(r + x, b + x, c, z));
    }
    if (!Double.isFinite(numerator)) {
      throw new ArithmeticException("BG/NBD expected purchases cannot be computed for x=" + x + ", t_x=" + tx + ", T="
          + tt + ", t=" + t + " with " + this);
    }
    double denominator = 1;
    if (x > 0) {
      denominator += Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + tt) / (alpha + tx)));
    }
    return numerator / denominator;
  }

  /** The probability of at least one purchase in the {@code t} time units after {@code T}. */
  public double probabilityOfPurchase(int x, double tx, double tt, double t) {
    // Alive customers keep buying at their rate until the next purchase, so P(no purchase | alive) = E[exp(-lambda t)].
    double noPurchaseIfAlive = Math.exp((r + x) * Math.log((alpha + tt) / (alpha + tt + t)));
    return probabilityAlive(x, tx, tt) * (1 - noPurchaseIfAlive);
  }
}
