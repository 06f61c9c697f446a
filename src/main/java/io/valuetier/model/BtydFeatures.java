package io.valuetier.model;

import io.valuetier.features.Feature;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.btyd.BgNbd;
import io.valuetier.model.btyd.GammaGamma;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * BG/NBD and Gamma-Gamma fitted on one population at one cutoff, read per customer from the behavioural features
 * ({@code x = frequency - 1}, {@code tx = repeat_span_days}, {@code T = tenure_days}, {@code zbar = repeat_spend_mean}):
 * the baseline's prediction, the extra inputs of the learned models, and the BG/NBD time profile that carries a
 * prediction from one horizon to another.
 *
 * @param bgnbd the purchase process (days)
 * @param gammaGamma the spend per purchase
 * @param fallbackSpend spend per purchase for customers without repeat purchases when Gamma-Gamma's population mean
 *     is infinite (q <= 1): the mean spend per purchase day of the population
 */
public record BtydFeatures(BgNbd bgnbd, GammaGamma gammaGamma, double fallbackSpend) implements Serializable {

  /** The extra inputs, after the behavioural features. */
  public static final List<String> NAMES =
      List.of("btyd_p_alive", "btyd_expected_purchases", "btyd_spend_per_purchase", "btyd_expected_value");

  /** Meanings of {@link #NAMES}, for the feature table of the README and the model card. */
  public static final List<String> MEANINGS =
      List.of(
          "BG/NBD probability that the customer is still active",
          "BG/NBD expected purchase days over the training horizon",
          "Gamma-Gamma expected spend per purchase day",
          "btyd_expected_purchases x btyd_spend_per_purchase");

  /** The behavioural features the learned models read ({@link Feature#modelInput()}), in order. */
  private static final int[] INPUT_FEATURES =
      Arrays.stream(Feature.values()).filter(Feature::modelInput).mapToInt(Feature::ordinal).toArray();

  /** Position of {@code btyd_expected_value} in a model input. */
  public static int valueIndex() {
    return INPUT_FEATURES.length + 3;
  }

  /** Position of the behavioural feature {@code spend_rate_30d} in a model input. */
  public static int spendRateIndex() {
    int ordinal = Feature.SPEND_RATE_30D.ordinal();
    for (int i = 0; i < INPUT_FEATURES.length; i++) {
      if (INPUT_FEATURES[i] == ordinal) {
        return i;
      }
    }
    throw new IllegalStateException("spend_rate_30d is not a model input");
  }

  /**
   * The learned models' starting point: {@code log(1 + btyd_expected_value)} of a model input. They learn the
   * correction to it, so that where the features say nothing new, BG/NBD + Gamma-Gamma's answer stands.
   */
  public static double offset(double[] input) {
    return Math.log1p(Math.max(0, input[valueIndex()]));
  }

  /** The width of a model input: the behavioural features it reads plus {@link #NAMES}. */
  public static int width() {
    return INPUT_FEATURES.length + NAMES.size();
  }

  private static final List<String> INPUT_NAMES = buildNames();

  private static List<String> buildNames() {
    List<String> names = new ArrayList<>();
    for (int i : INPUT_FEATURES) {
      names.add(Feature.at(i).id());
    }
    names.addAll(NAMES);
    return List.copyOf(names);
  }

  /** Every input column name. */
  public static List<String> inputNames() {
    return INPUT_NAMES;
  }

  /** Fits both models on the table's customers (a seeded sample of at most {@code maxCustomers}). */
  public static BtydFeatures fit(FeatureTable table, int maxCustomers, long seed) {
    int n = table.size();
    if (n == 0) {
      throw new IllegalArgumentException("no customer had bought by " + table.cutoff() + ": nothing to fit BG/NBD on");
    }
    int[] rows = sample(n, maxCustomers, seed);
    int[] x = new int[rows.length];
    double[] tx = new double[rows.length];
    double[] tt = new double[rows.length];
    double[] zbar = new double[rows.length];
    double meanSpend = 0;
    for (int i = 0; i < rows.length; i++) {
      double[] f = table.row(rows[i]);
      x[i] = (int) f[Feature.FREQUENCY.ordinal()] - 1;
      tx[i] = f[Feature.REPEAT_SPAN_DAYS.ordinal()];
      tt[i] = f[Feature.TENURE_DAYS.ordinal()];
      zbar[i] = f[Feature.REPEAT_SPEND_MEAN.ordinal()];
      meanSpend += f[Feature.SPEND_MEAN.ordinal()] / rows.length;
    }
    return new BtydFeatures(BgNbd.fit(x, tx, tt), GammaGamma.fit(x, zbar), Math.max(meanSpend, 0));
  }

  static int[] sample(int n, int max, long seed) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (n <= max) {
      return all;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < max; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] s = Arrays.copyOf(all, max);
    Arrays.sort(s);
    return s;
  }

  private static int x(double[] f) {
    return (int) f[Feature.FREQUENCY.ordinal()] - 1;
  }

  /** BG/NBD expected purchase days in the {@code days} after the cutoff. */
  public double expectedPurchases(double[] f, double days) {
    return bgnbd.expectedPurchases(x(f), f[Feature.REPEAT_SPAN_DAYS.ordinal()], f[Feature.TENURE_DAYS.ordinal()], days);
  }

  /** BG/NBD probability of at least one purchase in the {@code days} after the cutoff. */
  public double probabilityOfPurchase(double[] f, double days) {
    return bgnbd.probabilityOfPurchase(
        x(f), f[Feature.REPEAT_SPAN_DAYS.ordinal()], f[Feature.TENURE_DAYS.ordinal()], days);
  }

  public double probabilityAlive(double[] f) {
    return bgnbd.probabilityAlive(x(f), f[Feature.REPEAT_SPAN_DAYS.ordinal()], f[Feature.TENURE_DAYS.ordinal()]);
  }

  /** Gamma-Gamma expected spend per purchase day. */
  public double spendPerPurchase(double[] f) {
    double m = gammaGamma.expectedSpend(x(f), f[Feature.REPEAT_SPEND_MEAN.ordinal()]);
    return Double.isFinite(m) ? m : fallbackSpend;
  }

  /** The model input: the behavioural features it reads, then the four BTYD features over {@code days}. */
  public double[] input(double[] f, double days) {
    double[] out = new double[width()];
    for (int i = 0; i < INPUT_FEATURES.length; i++) {
      out[i] = f[INPUT_FEATURES[i]];
    }
    int k = INPUT_FEATURES.length;
    double purchases = expectedPurchases(f, days);
    double spend = spendPerPurchase(f);
    out[k] = probabilityAlive(f);
    out[k + 1] = purchases;
    out[k + 2] = spend;
    out[k + 3] = purchases * spend;
    return out;
  }
}
