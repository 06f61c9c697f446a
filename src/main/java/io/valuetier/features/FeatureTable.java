package io.valuetier.features;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The feature vectors of every customer who had bought by a cutoff: one row per customer, columns in {@link Feature}
 * order. Built in parallel from a {@link CustomerLog}.
 */
public final class FeatureTable {
  private final CustomerLog log;
  private final int cutoffDay;
  private final int[] customers;
  private final double[][] x;

  private FeatureTable(CustomerLog log, int cutoffDay, int[] customers, double[][] x) {
    this.log = log;
    this.cutoffDay = cutoffDay;
    this.customers = customers;
    this.x = x;
  }

  /** The features at {@code cutoffDay} (inclusive) of every customer with a purchase on or before it. */
  public static FeatureTable at(CustomerLog log, int cutoffDay, FeatureBuilder builder) {
    int n = log.size();
    double[][] rows = new double[n][];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            c -> {
              double[] v = new double[Feature.count()];
              if (builder.compute(log, c, cutoffDay, v)) {
                rows[c] = v;
              }
            });
    int m = 0;
    for (double[] r : rows) {
      if (r != null) {
        m++;
      }
    }
    int[] customers = new int[m];
    double[][] x = new double[m][];
    int k = 0;
    for (int c = 0; c < n; c++) {
      if (rows[c] != null) {
        customers[k] = c;
        x[k++] = rows[c];
      }
    }
    return new FeatureTable(log, cutoffDay, customers, x);
  }

  /** Rows for a subset (by row number), e.g. a sample for training. */
  public FeatureTable rows(int[] rowNumbers) {
    int[] c = new int[rowNumbers.length];
    double[][] r = new double[rowNumbers.length][];
    for (int i = 0; i < rowNumbers.length; i++) {
      c[i] = customers[rowNumbers[i]];
      r[i] = x[rowNumbers[i]];
    }
    return new FeatureTable(log, cutoffDay, c, r);
  }

  public CustomerLog log() {
    return log;
  }

  public int cutoffDay() {
    return cutoffDay;
  }

  public LocalDate cutoff() {
    return LocalDate.ofEpochDay(cutoffDay);
  }

  public int size() {
    return customers.length;
  }

  /** The customer (index in the log) of a row. */
  public int customer(int row) {
    return customers[row];
  }

  public String id(int row) {
    return log.id(customers[row]);
  }

  /** The feature vector of a row (shared, do not modify). */
  public double[] row(int row) {
    return x[row];
  }

  /** All rows (shared, do not modify). */
  public double[][] matrix() {
    return x;
  }

  /** One feature over all rows (a copy). */
  public double[] column(Feature f) {
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = x[i][f.ordinal()];
    }
    return v;
  }

  @Override
  public String toString() {
    return "FeatureTable[" + cutoff() + ", " + customers.length + " customers, first=" + (x.length > 0 ? Arrays.toString(x[0]) : "") + "]";
  }
}
