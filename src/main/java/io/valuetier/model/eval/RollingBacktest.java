package io.valuetier.model.eval;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The rolling-origin backtest: the {@link Backtest} at every month-end cutoff that leaves a full holdout horizon before
 * the data ends and has at least the required history before it, each model trained only on data up to its cutoff.
 * One split is one draw; the mean over the cutoffs says how a model does in general and the worst cutoff how badly it
 * can do.
 *
 * <p>History: 12 months by default. Where the data is too short for any cutoff with that much history before a full
 * horizon (CDNOW's 18 months with a 184-day horizon), the requirement drops to half of the days between the first
 * purchase and the last cutoff that leaves a full horizon, so that the later half of the possible cutoffs is used.
 */
public final class RollingBacktest {
  private RollingBacktest() {}

  /**
   * How to roll.
   *
   * @param horizonDays holdout length after each cutoff
   * @param minHistoryMonths history wanted before the first cutoff, where the data has it
   * @param customerShare share of customers kept (seeded sample) to bound the run time; 1 keeps all
   */
  public record Options(int horizonDays, int minHistoryMonths, double customerShare) {
    public Options {
      if (horizonDays < 1) {
        throw new IllegalArgumentException("the rolling horizon must be at least 1 day, got " + horizonDays);
      }
      if (minHistoryMonths < 1) {
        throw new IllegalArgumentException("the rolling history must be at least 1 month, got " + minHistoryMonths);
      }
      if (!(customerShare > 0 && customerShare <= 1)) {
        throw new IllegalArgumentException("the share of customers must be in (0, 1], got " + customerShare);
      }
    }
  }

  /**
   * The cutoffs of a log.
   *
   * @param cutoffs month ends, oldest first
   * @param historyDays the history each cutoff has at least (days from the first purchase, inclusive)
   * @param reduced whether the history was reduced because the data is shorter than wanted
   */
  public record Plan(List<LocalDate> cutoffs, int historyDays, boolean reduced) {}

  /**
   * One model at one cutoff.
   *
   * @param algorithm the algorithm, or {@code champion} for the model chosen on that cutoff's validation window
   * @param chosen the algorithm behind it (the same as {@code algorithm} except for the champion)
   * @param holdout the holdout metrics
   * @param intervalCoverage share of customers within their prediction interval (NaN for models without)
   */
  public record Entry(String algorithm, String chosen, ModelMetrics holdout, double intervalCoverage) {}

  /**
   * One cutoff.
   *
   * @param cutoff last day the models saw
   * @param holdoutEnd last day of the holdout
   * @param models every algorithm, then the champion
   * @param seconds training and prediction time
   */
  public record Cutoff(LocalDate cutoff, LocalDate holdoutEnd, List<Entry> models, double seconds) {
    public Entry model(String algorithm) {
      return models.stream().filter(m -> m.algorithm().equals(algorithm)).findFirst().orElseThrow();
    }
  }

  /** A figure's mean over the cutoffs and its worst value with the cutoff where it happened. */
  public record Figure(double mean, double worst, LocalDate worstCutoff) {}

  /**
   * One model over all cutoffs: each figure's mean and worst (lowest Spearman, Gini, capture and AUC; largest
   * absolute total bias and Brier score).
   */
  public record Summary(
      String algorithm,
      Figure spearman,
      Figure normalizedGini,
      Figure topDecileCapture,
      Figure totalBias,
      Figure buyAuc,
      Figure buyBrier,
      Figure intervalCoverage) {}

  /**
   * The outcome.
   *
   * @param plan the cutoffs and the history they have
   * @param horizonDays holdout length
   * @param customerShare share of customers used
   * @param customers customers in the (sampled) log
   * @param cutoffs one per cutoff
   * @param summary one per model, champion last
   * @param seconds wall time
   */
  public record Report(
      Plan plan,
      int horizonDays,
      double customerShare,
      int customers,
      List<Cutoff> cutoffs,
      List<Summary> summary,
      double seconds) {
    public Summary summary(String algorithm) {
      return summary.stream().filter(s -> s.algorithm().equals(algorithm)).findFirst().orElseThrow();
    }
  }

  /** The month-end cutoffs of {@code log} for a {@code horizonDays} holdout with the wanted history. */
  public static Plan plan(CustomerLog log, int horizonDays, int minHistoryMonths) {
    if (log.records() == 0) {
      throw new IllegalArgumentException("no transaction to backtest on");
    }
    LocalDate first = log.firstDate();
    LocalDate lastCutoff = log.lastDate().minusDays(horizonDays);
    List<LocalDate> ends = new ArrayList<>();
    for (YearMonth m = YearMonth.from(first); !m.atEndOfMonth().isAfter(lastCutoff); m = m.plusMonths(1)) {
      ends.add(m.atEndOfMonth());
    }
    if (ends.isEmpty()) {
      throw new IllegalArgumentException(
          "the data from " + first + " to " + log.lastDate() + " leaves no month end with a full " + horizonDays
              + "-day holdout after it: give a shorter --horizon-days or more data");
    }
    int wanted = (int) (first.plusMonths(minHistoryMonths).toEpochDay() - first.toEpochDay());
    boolean reduced = false;
    int history = wanted;
    if (days(first, ends.getLast()) < wanted) {
      reduced = true;
      history = days(first, ends.getLast()) / 2;
    }
    int h = history;
    List<LocalDate> cutoffs = ends.stream().filter(c -> days(first, c) >= h).toList();
    return new Plan(cutoffs, history, reduced);
  }

  /** Days from {@code first} to {@code cutoff}, both included. */
  private static int days(LocalDate first, LocalDate cutoff) {
    return (int) (cutoff.toEpochDay() - first.toEpochDay()) + 1;
  }

  /** Runs the backtest at every cutoff; {@code progress} hears of each finished cutoff. */
  public static Report run(CustomerLog full, ModelSettings settings, Options options, Consumer<Cutoff> progress) {
    long t0 = System.nanoTime();
    CustomerLog log = full.sampleShare(options.customerShare(), settings.seed());
    Plan plan = plan(log, options.horizonDays(), options.minHistoryMonths());
    List<Cutoff> cutoffs = new ArrayList<>();
    for (LocalDate c : plan.cutoffs()) {
      Backtest.Report r = Backtest.run(log, c, c.plusDays(options.horizonDays()), settings);
      List<Entry> entries = new ArrayList<>();
      for (Backtest.ModelResult m : r.models()) {
        entries.add(new Entry(m.algorithm(), m.algorithm(), m.holdout(), m.intervalCoverage()));
      }
      Backtest.ModelResult champion = r.model(r.champion());
      entries.add(new Entry("champion", r.champion(), champion.holdout(), champion.intervalCoverage()));
      Cutoff cut = new Cutoff(c, r.holdoutEnd(), List.copyOf(entries), r.seconds());
      cutoffs.add(cut);
      progress.accept(cut);
    }
    return new Report(
        plan, options.horizonDays(), options.customerShare(), log.size(), List.copyOf(cutoffs), summarize(cutoffs),
        (System.nanoTime() - t0) / 1e9);
  }

  /** Which value of a figure is the worst. */
  enum Worst {
    LOWEST,
    HIGHEST,
    FARTHEST_FROM_ZERO;

    boolean worse(double v, double than) {
      return Double.isNaN(than)
          || switch (this) {
            case LOWEST -> v < than;
            case HIGHEST -> v > than;
            case FARTHEST_FROM_ZERO -> Math.abs(v) > Math.abs(than);
          };
    }
  }

  /** The interval coverage's mean and the cutoff farthest from {@code nominal}. */
  private static Figure coverage(List<Cutoff> cs, String a, double nominal) {
    double sum = 0;
    int n = 0;
    double worst = Double.NaN;
    LocalDate at = null;
    for (Cutoff c : cs) {
      double v = c.model(a).intervalCoverage();
      if (Double.isNaN(v)) {
        continue;
      }
      sum += v;
      n++;
      if (Double.isNaN(worst) || Math.abs(v - nominal) > Math.abs(worst - nominal)) {
        worst = v;
        at = c.cutoff();
      }
    }
    return new Figure(n == 0 ? Double.NaN : sum / n, worst, at);
  }

  static List<Summary> summarize(List<Cutoff> cutoffs) {
    double nominal = Trainer.INTERVAL_COVERAGE;
    Map<String, List<Cutoff>> byModel = new LinkedHashMap<>();
    for (Cutoff c : cutoffs) {
      for (Entry e : c.models()) {
        byModel.computeIfAbsent(e.algorithm(), k -> new ArrayList<>()).add(c);
      }
    }
    List<Summary> out = new ArrayList<>();
    for (Map.Entry<String, List<Cutoff>> e : byModel.entrySet()) {
      String a = e.getKey();
      List<Cutoff> cs = e.getValue();
      out.add(
          new Summary(
              a,
              figure(cs, a, ModelMetrics::spearman, Worst.LOWEST),
              figure(cs, a, ModelMetrics::normalizedGini, Worst.LOWEST),
              figure(cs, a, ModelMetrics::topDecileCapture, Worst.LOWEST),
              figure(cs, a, ModelMetrics::totalError, Worst.FARTHEST_FROM_ZERO),
              figure(cs, a, ModelMetrics::buyAuc, Worst.LOWEST),
              figure(cs, a, ModelMetrics::buyBrier, Worst.HIGHEST),
              coverage(cs, a, nominal)));
    }
    return List.copyOf(out);
  }

  /** The mean of one figure over the cutoffs where it is defined, and its worst value with that cutoff. */
  private static Figure figure(List<Cutoff> cs, String a, ToDoubleFunction<ModelMetrics> f, Worst rule) {
    double sum = 0;
    int n = 0;
    double worst = Double.NaN;
    LocalDate at = null;
    for (Cutoff c : cs) {
      double v = f.applyAsDouble(c.model(a).holdout());
      if (Double.isNaN(v)) {
        continue;
      }
      sum += v;
      n++;
      if (rule.worse(v, worst)) {
        worst = v;
        at = c.cutoff();
      }
    }
    return new Figure(n == 0 ? Double.NaN : sum / n, worst, at);
  }
}
