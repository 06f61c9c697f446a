package io.valuetier.model;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureSpec;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.Targets;
import io.valuetier.model.eval.ModelMetrics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains every configured algorithm on the calibration period only, and picks the champion on a validation window at
 * its end.
 *
 * <ol>
 *   <li>The log is cut at the calibration end {@code C}: nothing later is ever seen.
 *   <li>Validation: the last {@code Hv} days of the calibration period, {@code (V, C]}, are held out; each algorithm is
 *       trained on snapshots whose horizons end by {@code V}, predicts {@code (V, C]} from the features at {@code V},
 *       and is scored there. The learned models' correction weight and naive blend (see {@link LearnedModel}) are
 *       chosen here too ({@link #regularized}).
 *   <li>The champion is the algorithm with the best mean of normalized Gini and Spearman on the validation window,
 *       among {@code valuetier.model.champion-candidates} (the others are baselines, reported, never chosen); the
 *       gradient boosting model, whose TreeSHAP values give the reasons, wins ties (within
 *       {@code valuetier.model.champion-tolerance}).
 *   <li>Final models: every algorithm again, on snapshots whose horizons end by {@code C}, with the chosen weights.
 *   <li>The learned models' prediction intervals take the spread of buyers' spend from what their validation models
 *       predicted for the validation window and what customers spent there, and the chance of no purchase from the
 *       final models' probabilities; the window's total ratio is recorded ({@link SpendCalibration}); their predicted
 *       totals are scaled to the forecast of {@link SeasonalFactor} (without one, a blended model's totals to those of
 *       the same model without the blend).
 * </ol>
 *
 * <p>One job: the training protocol, from the cut at {@code C} to the final models, in one place, so that what every
 * model saw, and when, is read in one file; the models, their calibration and the snapshots live in their own classes.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Nominal coverage of the prediction intervals (P10..P90). */
  public static final double INTERVAL_COVERAGE = 0.8;

  /** The customers at the cutoff whose probabilities set the intervals' level: at most this many (every k-th). */
  static final int INTERVAL_POPULATION = 100_000;

  /** The totals factor stays within [1/2, 2]: a window that far off says more about the window than the model. */
  static final double MAX_TOTAL_SCALE = 2;

  /**
   * Whether the validation window's total ratio is applied to the predictions or only recorded in the model card: off,
   * as the rolling backtests show it does not carry over to the next horizon (see {@link SpendCalibration}).
   */
  static final boolean APPLY_TOTAL_SCALE = false;

  private final ModelSettings settings;

  public Trainer(ModelSettings settings) {
    this.settings = settings;
  }

  /**
   * One trained algorithm.
   *
   * @param algorithm the algorithm
   * @param model the final model (trained up to the calibration end)
   * @param validation its validation-window metrics (after calibration)
   * @param score mean of normalized Gini and Spearman on the validation window
   * @param seconds training time of the final model
   */
  public record Candidate(
      String algorithm, ValueModel model, ModelMetrics validation, double score, double seconds) {}

  /**
   * What a training produced.
   *
   * @param spec the features' spec
   * @param calibrationEnd last day of data the models saw
   * @param horizonDays the horizon the final models predict
   * @param validationCutoff {@code V}: features of the validation predictions
   * @param validationDays {@code Hv}
   * @param validationPlan the snapshots of the validation models
   * @param trainingPlan the snapshots of the final models
   * @param trainingRows stacked rows used for the final learned models
   * @param trainingRowsBeforeSampling stacked rows before sampling down
   * @param scoredAtCutoff customers with a purchase by the calibration end
   * @param candidates one per algorithm, in the configured order
   * @param champion the chosen algorithm
   * @param notices what the trainer had to do differently for this data (e.g. learned models skipped), in words
   */
  public record Result(
      FeatureSpec spec,
      LocalDate calibrationEnd,
      int horizonDays,
      LocalDate validationCutoff,
      int validationDays,
      List<Snapshot> validationPlan,
      List<Snapshot> trainingPlan,
      int trainingRows,
      int trainingRowsBeforeSampling,
      int scoredAtCutoff,
      List<Candidate> candidates,
      String champion,
      List<String> notices) {

    public Candidate candidate(String algorithm) {
      return candidates.stream().filter(c -> c.algorithm().equals(algorithm)).findFirst().orElseThrow();
    }

    public Candidate championCandidate() {
      return candidate(champion);
    }

    /** The same training with {@code algorithm} as the champion and {@code notice} (why) among the notices. */
    public Result withChampion(String algorithm, String notice) {
      candidate(algorithm);
      List<String> more = new ArrayList<>(notices);
      more.add(notice);
      return new Result(spec, calibrationEnd, horizonDays, validationCutoff, validationDays, validationPlan,
          trainingPlan, trainingRows, trainingRowsBeforeSampling, scoredAtCutoff, candidates, algorithm,
          List.copyOf(more));
    }
  }

  /**
   * Why the data from {@code first} to {@code last} cannot be trained on, in words a small shop can act on: the
   * real span, the days the settings need (history before a cutoff, the shortest target window, and the validation
   * window at the end), and which setting to lower.
   */
  static String tooShort(int first, int last, ModelSettings s) {
    int span = last - first + 1;
    int floor = Math.min(s.horizonDays(), s.minTrainingHorizonDays());
    int needed = span;
    while (!fits(needed, floor, s.minHistoryDays(), s)) {
      needed++;
    }
    int validation = validationDays(needed, s);
    String message = "the data from " + LocalDate.ofEpochDay(first) + " to " + LocalDate.ofEpochDay(last) + ", "
        + span + " days, is too short to train on: with the current settings training needs at least " + needed
        + " days (" + s.minHistoryDays() + " days of history before a cutoff, valuetier.model.min-history-days; a "
        + "target window of at least " + floor + " days, valuetier.model.min-training-horizon-days; and a validation "
        + "window of " + validation + " days at the end, valuetier.model.validation-days)";
    int history = s.minHistoryDays();
    while (history > 0 && !fits(span, floor, history, s)) {
      history--;
    }
    if (fits(span, floor, history, s) && history < s.minHistoryDays()) {
      return message + ". Give more history, or set valuetier.model.min-history-days=" + history + " (or lower)";
    }
    return message + ". Give at least " + needed + " days of transactions";
  }

  private static int validationDays(int span, ModelSettings s) {
    return s.validationDays() > 0 ? s.validationDays() : Math.min(s.horizonDays(), span / 3);
  }

  /** Whether {@code span} days leave one training cutoff before the validation window (as {@link Snapshot} plans). */
  private static boolean fits(int span, int floor, int minHistory, ModelSettings s) {
    int validationStart = span - 1 - validationDays(span, s);
    return validationStart - minHistory >= floor;
  }

  /** Trains on {@code log} up to and including {@code calibrationEnd}. */
  public Result train(CustomerLog log, LocalDate calibrationEnd) {
    ModelSettings s = settings;
    int c = (int) calibrationEnd.toEpochDay();
    CustomerLog cal = log.upTo(c);
    if (cal.records() == 0) {
      throw new IllegalArgumentException("no transaction on or before the calibration end " + calibrationEnd);
    }
    int first = cal.firstDay();
    FeatureSpec spec = new FeatureSpec(s.recentWindowDays(), FeatureSpec.homeCountry(cal, c));
    FeatureBuilder features = new FeatureBuilder(spec);
    int h = s.horizonDays();

    // Validation window at the end of the calibration period.
    int hv = s.validationDays() > 0 ? s.validationDays() : Math.min(h, (c - first + 1) / 3);
    int v = c - hv;
    List<Snapshot> validationPlan;
    try {
      validationPlan =
          Snapshot.plan(
              first, v, v, h, s.snapshots(), s.snapshotSpacingDays(), s.minHistoryDays(), s.minTrainingHorizonDays(),
              s.seasonalSnapshots());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(tooShort(first, c, s), e);
    }
    long t0 = System.nanoTime();
    TrainingSet validationSet;
    FeatureTable validationTable = FeatureTable.at(cal, v, features);
    BtydFeatures validationBtyd;
    try {
      validationSet =
          TrainingSet.build(cal.upTo(v), features, validationPlan, s.btydMaxCustomers(), s.maxTrainingRows(), s.seed());
      validationBtyd = BtydFeatures.fit(validationTable, s.btydMaxCustomers(), s.seed());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot train on the data from " + LocalDate.ofEpochDay(first) + " to " + calibrationEnd + ": "
              + e.getMessage() + ". Every model starts from BG/NBD + Gamma-Gamma fitted at each training cutoff "
              + validationPlan.stream().map(Snapshot::cutoff).distinct().toList() + ", which needs customers who came "
              + "back; train again when more customers have bought twice",
          e);
    }
    Targets validationTargets = Targets.of(validationTable, hv);
    ModelMetrics.Ranking ranking = new ModelMetrics.Ranking(validationTargets.spend());
    LOG.info(
        "validation: cutoff {} + {} days, {} training rows from {} snapshots ({} days each), {} customers to predict ({} s)",
        LocalDate.ofEpochDay(v), hv, validationSet.size(), validationPlan.size(), validationSet.horizonDays(),
        validationTable.size(), secondsSince(t0));

    List<String> notices = new ArrayList<>();
    List<String> algorithms = OneClass.usable(s.algorithms(), validationSet, validationPlan, notices);
    Map<String, ModelMetrics> validation = new LinkedHashMap<>();
    Map<String, double[]> weights = new LinkedHashMap<>();
    Map<String, double[]> validationSpend = new LinkedHashMap<>();
    Map<String, double[]> validationProb = new LinkedHashMap<>();
    for (String algorithm : algorithms) {
      long t = System.nanoTime();
      ValueModel fitted = fit(algorithm, validationSet, validationBtyd, spec, hv, s);
      List<double[]> tries = new ArrayList<>();
      List<ModelMetrics> tried = new ArrayList<>();
      List<double[]> spends = new ArrayList<>();
      List<double[]> probs = new ArrayList<>();
      // a learned model's variants share one pass of the model over the rows (LearnedModel.Variants)
      LearnedModel.Variants variants = fitted instanceof LearnedModel lm
          ? new LearnedModel.Variants(lm, validationSet, validationTable.matrix()) : null;
      for (double w : variants != null ? s.correctionWeights() : new double[] {1}) {
        for (double b : variants != null ? s.naiveBlendWeights() : new double[] {0}) {
          double[] spend;
          double[] prob;
          if (variants != null) {
            spend = variants.spend(w, b);
            prob = variants.probability();
          } else {
            spend = new double[validationTable.size()];
            prob = new double[validationTable.size()];
            fitted.predict(validationTable.matrix(), spend, prob);
          }
          tries.add(new double[] {w, b});
          tried.add(variants != null ? ranking.of(spend)
              : ModelMetrics.of(spend, validationTargets.spend(), prob, validationTargets.buys()));
          spends.add(spend);
          probs.add(prob);
        }
      }
      int k = regularized(tries, tried, s.correctionTolerance());
      // the variants were compared on the rank figures alone; the kept one gets every figure
      ModelMetrics metrics = variants == null ? tried.get(k)
          : ModelMetrics.of(spends.get(k), validationTargets.spend(), probs.get(k), validationTargets.buys());
      if (fitted instanceof LearnedModel) {
        validationSpend.put(algorithm, spends.get(k));
        validationProb.put(algorithm, probs.get(k));
      }
      validation.put(algorithm, metrics);
      weights.put(algorithm, tries.get(k));
      LOG.info(
          "validation {}: spearman {}, gini {}, total error {}, correction weight {}, naive blend {} ({} s)", algorithm,
          round(metrics.spearman()), round(metrics.normalizedGini()), round(metrics.totalError()), tries.get(k)[0],
          tries.get(k)[1], secondsSince(t));
    }
    String champion = null;
    double best = Double.NEGATIVE_INFINITY;
    Set<String> eligible = eligible(validation.keySet(), s.championCandidates(), notices);
    for (Map.Entry<String, ModelMetrics> e : validation.entrySet()) {
      if (!eligible.contains(e.getKey())) {
        continue;
      }
      double score = score(e.getValue());
      if (score > best) {
        best = score;
        champion = e.getKey();
      }
    }
    // Reasons come from the boosted trees: when they are within the tolerance of the best (a tie, given the noise of
    // a validation window), the champion is the model that explains itself.
    if (!"gbt".equals(champion) && eligible.contains("gbt")
        && score(validation.get("gbt")) >= best - s.championTolerance()) {
      LOG.info("gbt is within {} of the best validation score ({}): chosen, as it explains itself",
          s.championTolerance(), champion);
      champion = "gbt";
    }

    // Final models on everything up to the calibration end.
    List<Snapshot> plan =
        Snapshot.plan(
            first, c, c, h, s.snapshots(), s.snapshotSpacingDays(), s.minHistoryDays(), s.minTrainingHorizonDays(),
            s.seasonalSnapshots());
    long t1 = System.nanoTime();
    TrainingSet set = TrainingSet.build(cal, features, plan, s.btydMaxCustomers(), s.maxTrainingRows(), s.seed());
    List<String> finalAlgorithms = OneClass.usable(algorithms, set, plan, notices);
    if (!finalAlgorithms.contains(champion)) {
      Set<String> left = eligible(finalAlgorithms, s.championCandidates(), notices);
      champion = finalAlgorithms.stream().filter(left::contains)
          .max((a, b) -> Double.compare(score(validation.get(a)), score(validation.get(b))))
          .orElseThrow();
    }
    notices.forEach(LOG::warn);
    FeatureTable table = FeatureTable.at(cal, c, features);
    BtydFeatures btyd = BtydFeatures.fit(table, s.btydMaxCustomers(), s.seed());
    LOG.info(
        "training: {} rows ({} before sampling) from {} snapshots of {} days ({} s)", set.size(),
        set.rowsBeforeSampling(), plan.size(), set.horizonDays(), secondsSince(t1));
    SeasonalFactor.Forecast forecast =
        SeasonalFactor.forecast(table, h, s.snapshots(), s.snapshotSpacingDays(), s.seed());
    List<Candidate> candidates = new ArrayList<>();
    for (String algorithm : finalAlgorithms) {
      long t = System.nanoTime();
      ValueModel m = fit(algorithm, set, btyd, spec, h, s);
      if (m instanceof LearnedModel lm) {
        double[] wb = weights.get(algorithm);
        LearnedModel tuned = LearnedModel.tuned(lm, set, wb[0], wb[1]);
        // the blend reorders customers; without a totals forecast their level is the unblended model's
        LearnedModel level = wb[1] > 0 ? LearnedModel.tuned(lm, set, wb[0], 0) : null;
        SeasonalFactor seasonal = forecast.factor(
            row -> tuned.predict(row).spend(), level == null ? null : row -> level.predict(row).spend());
        LOG.info("{} totals: factor {}, {}", algorithm, round(seasonal.factor()), seasonal.basis());
        m =
            tuned
                .calibrated(
                    SpendCalibration.fit(
                        validationSpend.get(algorithm), validationProb.get(algorithm), validationTargets.spend(),
                        LocalDate.ofEpochDay(v + 1) + ".." + calibrationEnd, INTERVAL_COVERAGE, MAX_TOTAL_SCALE,
                        APPLY_TOTAL_SCALE, seasonal, probabilities(tuned, table)));
      }
      candidates.add(
          new Candidate(algorithm, m, validation.get(algorithm), score(validation.get(algorithm)), secondsSince(t)));
    }
    return new Result(
        spec, calibrationEnd, h, LocalDate.ofEpochDay(v), hv, validationPlan, plan, set.size(),
        set.rowsBeforeSampling(), table.size(), List.copyOf(candidates), champion, List.copyOf(notices));
  }

  /**
   * The algorithms of {@code trained} that may become the champion ({@code valuetier.model.champion-candidates}); the
   * others are trained, evaluated and reported as baselines. When none of them may, every one may, with a notice.
   */
  static Set<String> eligible(Collection<String> trained, List<String> candidates, List<String> notices) {
    Set<String> eligible = new LinkedHashSet<>(trained);
    eligible.retainAll(candidates);
    if (eligible.isEmpty()) {
      notices.add("none of the trained algorithms " + trained + " is a champion candidate " + candidates
          + " (valuetier.model.champion-candidates): the champion is chosen among all of them");
      return new LinkedHashSet<>(trained);
    }
    return eligible;
  }

  /**
   * Which of the tried {@code (correction, blend)} pairs a learned model keeps: of those whose validation score is
   * within {@code tolerance} of the best, the one with the smallest correction weight, then the smallest blend. A
   * validation window's differences that small are noise, and the smaller correction stays closer to BG/NBD +
   * Gamma-Gamma, which the rolling backtests showed to carry over to the next horizon better.
   *
   * @return the index in {@code tries} (and {@code metrics})
   */
  static int regularized(List<double[]> tries, List<ModelMetrics> metrics, double tolerance) {
    double best = Double.NEGATIVE_INFINITY;
    for (ModelMetrics m : metrics) {
      best = Math.max(best, score(m));
    }
    int chosen = -1;
    for (int i = 0; i < tries.size(); i++) {
      if (!(score(metrics.get(i)) >= best - tolerance)) {
        continue;
      }
      if (chosen < 0 || tries.get(i)[0] < tries.get(chosen)[0]
          || (tries.get(i)[0] == tries.get(chosen)[0] && tries.get(i)[1] < tries.get(chosen)[1])) {
        chosen = i;
      }
    }
    if (chosen < 0) {
      // every score NaN (e.g. nobody bought in the window): the first pair
      chosen = 0;
    }
    return chosen;
  }

  /** The champion criterion: mean of normalized Gini and Spearman. */
  public static double score(ModelMetrics m) {
    return (m.normalizedGini() + m.spearman()) / 2;
  }

  /** Trains one algorithm for the given horizon. */
  static ValueModel fit(
      String algorithm, TrainingSet set, BtydFeatures btyd, FeatureSpec spec, int horizonDays, ModelSettings s) {
    return switch (algorithm) {
      case "gbt" -> GbtValueModel.fit(set, btyd, spec, horizonDays, s);
      case "mlp" -> MlpValueModel.fit(set, btyd, spec, horizonDays, s);
      case "btyd" -> new BtydValueModel(spec, btyd, horizonDays);
      case "naive" -> new NaiveValueModel(spec, horizonDays);
      default -> throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'");
    };
  }

  /**
   * The model's probabilities of a purchase over its horizon for the customers at the cutoff, those the intervals are
   * for; every k-th customer beyond {@link #INTERVAL_POPULATION} (the level they give changes little).
   */
  static double[] probabilities(ValueModel m, FeatureTable table) {
    int step = Math.max(1, (table.size() + INTERVAL_POPULATION - 1) / INTERVAL_POPULATION);
    double[][] rows = new double[(table.size() + step - 1) / step][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = table.row(i * step);
    }
    double[] spend = new double[rows.length];
    double[] prob = new double[rows.length];
    m.predict(rows, spend, prob);
    return prob;
  }

  private static double sum(double[] v) {
    double t = 0;
    for (double x : v) {
      t += x;
    }
    return t;
  }

  private static double secondsSince(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
