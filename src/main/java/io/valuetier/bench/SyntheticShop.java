package io.valuetier.bench;

import io.valuetier.features.CustomerLog;
import io.valuetier.records.CustomerFacts;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * A seeded synthetic shop whose customers follow the Pareto/NBD story with Gamma-Gamma spend, plus returns, baskets
 * and products, for benchmarks and tests at any size:
 *
 * <ul>
 *   <li>customer {@code i} arrives on a uniform day of the first {@code acquisitionDays} and buys that day;
 *   <li>while alive they buy at a Poisson rate {@code lambda ~ Gamma(shape 0.6, mean 1/40 per day)} (at most one
 *       purchase day per day) and die at an exponential time with rate {@code mu ~ Gamma(shape 0.8, mean 1/300 per
 *       day)};
 *   <li>each purchase day spends {@code Gamma(shape 4, scale nu)} with {@code nu ~ Gamma(shape 3, mean 12)} on 1 to 4
 *       order lines of products drawn with a Zipf-like popularity from a catalogue of 2,000, 1 to 6 items per line;
 *   <li>one purchase in {@value #RETURN_PERCENT}% is returned in part (20-100% of its amount) 3 to 30 days later;
 *   <li>90% of customers live in the home country; facts (segment, consent, loyalty, sign-up, complaints, fraud) are
 *       drawn independently.
 * </ul>
 *
 * The same seed and size give the same shop, day for day.
 */
public final class SyntheticShop {
  static final int RETURN_PERCENT = 4;

  private SyntheticShop() {}

  /**
   * Generates {@code customers} customers over {@code days} days from {@code start}.
   *
   * @param acquisitionDays customers arrive in the first this many days
   */
  public static CustomerLog generate(int customers, long seed, LocalDate start, int days, int acquisitionDays) {
    CustomerLog.Builder b = CustomerLog.builder();
    SplittableRandom root = new SplittableRandom(seed);
    int first = (int) start.toEpochDay();
    int end = first + days - 1;
    String[] products = new String[2000];
    for (int p = 0; p < products.length; p++) {
      products[p] = "P" + p;
    }
    String[] segments = {"consumer", "business", "reseller"};
    for (int i = 0; i < customers; i++) {
      SplittableRandom r = root.split();
      String id = "C" + i;
      String country = r.nextInt(10) == 0 ? "Abroad" + r.nextInt(20) : "Home";
      int arrival = first + r.nextInt(Math.max(1, acquisitionDays));
      double lambda = gamma(r, 0.6, 1.0 / 40 / 0.6);
      double mu = gamma(r, 0.8, 1.0 / 300 / 0.8);
      double death = arrival + exponential(r, mu);
      double nu = gamma(r, 3, 12.0 / 3);
      double t = arrival;
      int lastDay = Integer.MIN_VALUE;
      while (t <= end && t < death) {
        int day = (int) t;
        if (day != lastDay) {
          lastDay = day;
          double amount = gamma(r, 4, nu);
          int lines = 1 + r.nextInt(4);
          for (int l = 0; l < lines; l++) {
            double share = amount / lines;
            int items = 1 + r.nextInt(6);
            String product = products[zipf(r, products.length)];
            b.add(id, day, share, items, product, country);
          }
          if (r.nextInt(100) < RETURN_PERCENT) {
            int back = day + 3 + r.nextInt(28);
            if (back <= end) {
              double part = amount * (0.2 + 0.8 * r.nextDouble());
              b.add(id, back, -part, -1, null, country);
            }
          }
        }
        t += exponential(r, lambda);
      }
      b.facts(
          new CustomerFacts(
              id,
              segments[r.nextInt(segments.length)],
              country,
              r.nextInt(10) < 6,
              r.nextInt(10) < 2,
              LocalDate.ofEpochDay(arrival - r.nextInt(365)),
              r.nextInt(20) == 0 ? 1 + r.nextInt(3) : 0,
              r.nextInt(500) == 0));
    }
    return b.build();
  }

  static double exponential(SplittableRandom r, double rate) {
    return -Math.log(1 - r.nextDouble()) / rate;
  }

  /** Popularity falling like 1/rank (inverse transform of a continuous approximation). */
  static int zipf(SplittableRandom r, int n) {
    double u = r.nextDouble();
    int k = (int) Math.floor(Math.exp(u * Math.log(n + 1.0))) - 1;
    return Math.min(n - 1, Math.max(0, k));
  }

  /** Gamma(shape, scale) by Marsaglia and Tsang (with the boost for shape < 1). */
  static double gamma(SplittableRandom r, double shape, double scale) {
    if (shape < 1) {
      double u = r.nextDouble();
      return gamma(r, shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(r);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * scale;
      }
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
