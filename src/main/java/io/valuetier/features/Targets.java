package io.valuetier.features;

/**
 * What each customer of a {@link FeatureTable} did in the horizon after its cutoff: net spend (bought minus returned)
 * and whether they bought at all.
 *
 * @param horizonDays the days after the cutoff, {@code (cutoff, cutoff + horizonDays]}
 * @param spend net spend per row
 * @param buys whether the row's customer had a purchase day in the horizon
 */
public record Targets(int horizonDays, double[] spend, boolean[] buys) {

  /** The targets of every row of {@code table} over {@code horizonDays} after its cutoff. */
  public static Targets of(FeatureTable table, int horizonDays) {
    if (horizonDays < 1) {
      throw new IllegalArgumentException("horizon must be at least one day, got " + horizonDays);
    }
    CustomerLog log = table.log();
    int cutoff = table.cutoffDay();
    int end = cutoff + horizonDays;
    double[] spend = new double[table.size()];
    boolean[] buys = new boolean[table.size()];
    for (int i = 0; i < table.size(); i++) {
      int c = table.customer(i);
      double s = 0;
      boolean b = false;
      for (int r = log.from(c); r < log.to(c); r++) {
        int d = log.day(r);
        if (d > cutoff && d <= end) {
          s += log.gross(r) - log.returned(r);
          b |= log.gross(r) > 0;
        }
      }
      spend[i] = s;
      buys[i] = b;
    }
    return new Targets(horizonDays, spend, buys);
  }

  public int size() {
    return spend.length;
  }

  public double totalSpend() {
    double t = 0;
    for (double s : spend) {
      t += s;
    }
    return t;
  }
}
