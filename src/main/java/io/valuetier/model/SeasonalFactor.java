package io.valuetier.model;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureTable;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One factor on a learned model's predicted spend so that the predicted total of the customers it scores matches a
 * forecast of that total from the shop's own recent windows and calendar.
 *
 * <p>Why: a model trained on stacked snapshots learns what customers spend after a cutoff from the cutoffs it saw,
 * and where those were early in the data (every customer young, the history cut at the data's start) or in another
 * season, its total is far off: on the two-year Online Retail log the learned models predicted the customers' next 184
 * days at up to 2.4 times what they then spent (README, "Rolling-origin backtests"). Totals are what budgets are made
 * of, so they get a forecast of their own, and the model keeps the order of customers.
 *
 * <p>The forecast, with {@code rate(a, b)} the shop's net spend per day in {@code (a, b]} and {@code h} the horizon:
 *
 * <pre>
 *   windows k:  c_k = c - h - k * spacing (k = 0..n-1) whose h days before c_k are (90% or more) in the data
 *   r_k       = what the customers known at c_k spent in (c_k, c_k + h]  /  (h * rate(c_k - h, c_k))
 *   season    = [rate(c - 365, c - 365 + h) / rate(c - h, c)]  /  mean_k [rate(c_k, c_k + h) / rate(c_k - h, c_k)]
 *   forecast  = (what the scored customers spent in (c - h, c]) * mean_k r_k * season
 *   factor    = forecast / the model's predicted total, within [1 / MAX_SCALE, MAX_SCALE]
 * </pre>
 *
 * {@code r_k} is how much of a window's spending the customers known at its start spend again in the next one (new
 * customers come in, old ones leave); {@code season} is how the next {@code h} days went against the last {@code h}
 * a year earlier, over how that went in the windows {@code r_k} was measured on. Scoring every customer who bought in
 * the last window, the forecast is the shop's spending in the same {@code h} days a year earlier times the share of a
 * window's spending that came from customers known at its start ({@code r_k} over the shop's change in window
 * {@code k}): a seasonal naive forecast without the new customers. It has no trend: a shop that grew (or shrank) by
 * a tenth over the year is forecast a tenth low (high). It needs the window a year before the prediction's and one
 * full window before a {@code c_k} in the data (about a year of history); without them the factor is 1 and {@link
 * #basis()} says why, and a model that blends the naive repeat-rate model into its score is brought to the total of
 * the same model without the blend ({@link Forecast#factor(ToDoubleFunction, ToDoubleFunction)}). Both totals are
 * taken over the same seeded sample of the scored customers.
 *
 * @param factor what predictions are multiplied by (1 when there is no forecast)
 * @param forecast the forecast total of the sampled customers (NaN without one)
 * @param predicted the model's predicted total of the same customers (NaN without a forecast)
 * @param basis how the forecast was made, or why there is none, in words
 */
public record SeasonalFactor(double factor, double forecast, double predicted, String basis) implements Serializable {

  /** The factor stays within [1/4, 4]. */
  static final double MAX_SCALE = 4;

  /** The share of a window before a {@code c_k} that must lie in the data. */
  static final double MIN_COVERED = 0.9;

  /** Customers whose predictions are summed, at most. */
  static final int SAMPLE = 50_000;

  static SeasonalFactor none(String why) {
    return new SeasonalFactor(1, Double.NaN, Double.NaN, why);
  }

  /**
   * The factor for predictions of the {@code horizon} days after the cutoff of {@code scored} made by {@code spend}
   * on its rows; the table's log must hold nothing after its cutoff.
   *
   * @param windows {@code n}, the number of windows
   * @param spacing days between windows
   */
  static SeasonalFactor of(
      FeatureTable scored, int horizon, int windows, int spacing, ToDoubleFunction<double[]> spend, long seed) {
    return forecast(scored, horizon, windows, spacing, seed).factor(spend);
  }

  /**
   * The forecast of a training, which does not depend on the model: the total of a seeded sample of the scored
   * customers ({@link #SAMPLE} at most), or why there is none.
   *
   * @param scored the customers scored at the cutoff
   * @param sample rows of {@code scored} the totals are taken over
   * @param total the forecast total of the sample (NaN without one)
   * @param basis how it was made, or why there is none
   */
  record Forecast(FeatureTable scored, int[] sample, double total, String basis) {
    /** The factor that brings the predicted total of {@code spend} over the sample to the forecast. */
    SeasonalFactor factor(ToDoubleFunction<double[]> spend) {
      return factor(spend, null);
    }

    /**
     * The factor that brings the predicted total of {@code spend} over the sample to the forecast or, without a
     * forecast, to the total {@code level} predicts for the same customers (null: factor 1). The learned models pass
     * the same model without the naive blend as {@code level}: the blend reorders customers, and its score's map to
     * spend, fitted on the training cutoffs' customers, did not carry over in level on CDNOW (-17% to -20% at three
     * rolling cutoffs; README, "Rolling-origin backtests").
     */
    SeasonalFactor factor(ToDoubleFunction<double[]> spend, ToDoubleFunction<double[]> level) {
      double target = total;
      String how = basis;
      if (Double.isNaN(total)) {
        if (level == null || sample.length == 0) {
          return none(basis);
        }
        target = 0;
        for (int i : sample) {
          target += level.applyAsDouble(scored.row(i));
        }
        how = "no forecast (" + basis + "); the total of the model without the naive blend";
        if (!(target > 0)) {
          return none(basis);
        }
      }
      double predicted = 0;
      for (int i : sample) {
        predicted += spend.applyAsDouble(scored.row(i));
      }
      if (!(predicted > 0)) {
        return none("the model predicts no spending for the " + sample.length + " customers of the forecast");
      }
      double factor = Math.min(MAX_SCALE, Math.max(1 / MAX_SCALE, target / predicted));
      return new SeasonalFactor(factor, target, predicted,
          String.format(Locale.ROOT, "%s; forecast %.0f against %.0f predicted", how, target, predicted));
    }
  }

  /** The forecast for predictions of the {@code horizon} days after the cutoff of {@code scored} (see above). */
  static Forecast forecast(FeatureTable scored, int horizon, int windows, int spacing, long seed) {
    CustomerLog log = scored.log();
    int cutoff = scored.cutoffDay();
    int first = log.firstDay();
    int yearAgo = cutoff - 365;
    if (yearAgo + 1 < first || horizon > 365) {
      return none(scored, "the data from " + LocalDate.ofEpochDay(first) + " does not hold the " + horizon
          + " days from " + LocalDate.ofEpochDay(yearAgo + 1) + ", the prediction's window a year earlier", seed);
    }
    double[] net = daily(log, first, cutoff);
    List<Integer> measured = new ArrayList<>();
    for (int k = 0; k < windows; k++) {
      int ck = cutoff - horizon - k * spacing;
      if (ck - first + 1 < MIN_COVERED * horizon) {
        break;
      }
      if (rate(net, first, ck - horizon, ck) > 0) {
        measured.add(ck);
      }
    }
    int n = measured.size();
    double[] known = knownSpend(log, measured, horizon);
    double ratioSum = 0;
    double changeSum = 0;
    for (int k = 0; k < n; k++) {
      int ck = measured.get(k);
      double before = rate(net, first, ck - horizon, ck);
      ratioSum += known[k] / (before * horizon);
      changeSum += rate(net, first, ck, ck + horizon) / before;
    }
    if (n == 0) {
      return none(scored, "no window of " + horizon + " days before " + LocalDate.ofEpochDay(cutoff - horizon)
          + " in the data (from " + LocalDate.ofEpochDay(first) + ") to measure how much of a window's spending"
          + " comes back", seed);
    }
    double last = rate(net, first, cutoff - horizon, cutoff);
    double season = rate(net, first, yearAgo, yearAgo + horizon) / last / (changeSum / n);
    double comeBack = ratioSum / n;
    int[] sample = BtydFeatures.sample(scored.size(), SAMPLE, seed);
    double past = 0;
    for (int i : sample) {
      past += spentIn(log, scored.customer(i), cutoff - horizon, cutoff);
    }
    double total = past * comeBack * season;
    if (!(total > 0)) {
      return none(scored, "the shop's spending in the windows is not positive", seed);
    }
    String basis = String.format(
        Locale.ROOT,
        "%d customers spent %.0f in %s..%s; of a window's spending %.3f came back in the next %d days (mean of %d "
            + "windows); the calendar a year earlier: x%.3f",
        sample.length, past, LocalDate.ofEpochDay(cutoff - horizon + 1), LocalDate.ofEpochDay(cutoff), comeBack,
        horizon, n, season);
    return new Forecast(scored, sample, total, basis);
  }

  private static Forecast none(FeatureTable scored, String why, long seed) {
    return new Forecast(scored, BtydFeatures.sample(scored.size(), SAMPLE, seed), Double.NaN, why);
  }

  /**
   * For each window cutoff {@code c_k}, what the customers who had bought by {@code c_k} spent in {@code (c_k, c_k +
   * horizon]}: one pass over the log for every window.
   */
  private static double[] knownSpend(CustomerLog log, List<Integer> cutoffs, int horizon) {
    double[] total = new double[cutoffs.size()];
    for (int c = 0; c < log.size(); c++) {
      int r = log.from(c);
      while (r < log.to(c) && log.gross(r) <= 0) {
        r++;
      }
      if (r == log.to(c)) {
        continue;
      }
      int firstPurchase = log.day(r);
      for (; r < log.to(c); r++) {
        int d = log.day(r);
        for (int k = 0; k < total.length; k++) {
          int ck = cutoffs.get(k);
          if (firstPurchase <= ck && d > ck && d <= ck + horizon) {
            total[k] += log.gross(r) - log.returned(r);
          }
        }
      }
    }
    return total;
  }

  /** What customer {@code c} spent, net, in {@code (from, to]}. */
  private static double spentIn(CustomerLog log, int c, int from, int to) {
    double total = 0;
    for (int r = log.from(c); r < log.to(c); r++) {
      int d = log.day(r);
      if (d > from && d <= to) {
        total += log.gross(r) - log.returned(r);
      }
    }
    return total;
  }

  /** Net spend per day from {@code first} to {@code last}, inclusive. */
  private static double[] daily(CustomerLog log, int first, int last) {
    double[] net = new double[last - first + 1];
    for (int r = 0; r < log.records(); r++) {
      int d = log.day(r);
      if (d >= first && d <= last) {
        net[d - first] += log.gross(r) - log.returned(r);
      }
    }
    return net;
  }

  /** Net spend per day in {@code (from, to]}, over the days of it the data covers; NaN when it covers none. */
  private static double rate(double[] net, int first, int from, int to) {
    int a = Math.max(from + 1, first);
    int b = Math.min(to, first + net.length - 1);
    if (b < a) {
      return Double.NaN;
    }
    double total = 0;
    for (int d = a; d <= b; d++) {
      total += net[d - first];
    }
    return total / (b - a + 1);
  }
}
