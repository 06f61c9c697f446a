package io.valuetier.model;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code valuetier.model.*} and {@code valuetier.features.*} settings, checked when read: a bad value stops the run
 * with the key, the value and where it came from.
 *
 * @param horizonDays days after the cutoff that a prediction covers
 * @param snapshots training cutoffs stacked into one training set
 * @param snapshotSpacingDays days between two training cutoffs
 * @param seasonalSnapshots take the training cutoffs around the prediction cutoff one year earlier when the data
 *     allows (target windows then cover the predicted season)
 * @param minHistoryDays history every training cutoff must have after the first day of data
 * @param minTrainingHorizonDays the shortest training horizon accepted (fewer snapshots are used before going below)
 * @param validationDays the validation window at the end of the calibration period; 0 picks min(horizon, a third of
 *     the calibration period)
 * @param correctionWeights the weights of the learned correction to the BTYD baseline tried on the validation window
 * @param naiveBlendWeights the weights of the naive repeat-rate model's log spend in the learned models' score, each
 *     tried with every correction weight on the validation window (0 = none)
 * @param correctionTolerance among the (correction, blend) pairs whose validation score is within this of the best,
 *     the smallest correction weight (then the smallest blend) is kept
 * @param maxTrainingRows stacked rows beyond this are sampled down (seeded) to bound training time
 * @param seed the seed of every random choice (sampling, tree bagging, network weights)
 * @param algorithms the algorithms trained and compared
 * @param championTolerance validation scores within this of the best count as a tie, which the GBT model wins
 * @param recentWindowDays {@code W} of the recent-window features
 * @param gbtTrees trees of the gradient boosting models
 * @param gbtMaxDepth maximum tree depth
 * @param gbtMaxNodes maximum leaves per tree
 * @param gbtNodeSize minimum customers per leaf
 * @param gbtShrinkage learning rate
 * @param gbtSubsample fraction of rows per tree
 * @param championCandidates the algorithms that may become the champion (the others are baselines)
 * @param mlpLayers hidden layer sizes
 * @param mlpEpochs training epochs
 * @param mlpBatchSize mini-batch size
 * @param mlpLearningRate learning rate (the start of a cosine schedule)
 * @param mlpWeightDecay L2 weight decay
 * @param mlpPatience epochs without improvement on the time split before training stops
 * @param btydMaxCustomers customers sampled (seeded) to fit BG/NBD and Gamma-Gamma
 * @param coldStartMinPurchaseDays a customer with fewer purchase days is a cold start
 * @param coldStartMinTenureDays a customer whose first purchase is more recent is a cold start
 * @param reasons reasons kept per customer
 */
public record ModelSettings(
    int horizonDays,
    int snapshots,
    int snapshotSpacingDays,
    boolean seasonalSnapshots,
    int minHistoryDays,
    int minTrainingHorizonDays,
    int validationDays,
    double[] correctionWeights,
    double[] naiveBlendWeights,
    double correctionTolerance,
    int maxTrainingRows,
    long seed,
    List<String> algorithms,
    double championTolerance,
    List<String> championCandidates,
    int recentWindowDays,
    int gbtTrees,
    int gbtMaxDepth,
    int gbtMaxNodes,
    int gbtNodeSize,
    double gbtShrinkage,
    double gbtSubsample,
    int[] mlpLayers,
    int mlpEpochs,
    int mlpBatchSize,
    double mlpLearningRate,
    double mlpWeightDecay,
    int mlpPatience,
    int btydMaxCustomers,
    int coldStartMinPurchaseDays,
    int coldStartMinTenureDays,
    int reasons) {

  /** The algorithms this version knows. */
  public static final List<String> KNOWN_ALGORITHMS = List.of("gbt", "mlp", "btyd", "naive");

  /** Reads and checks the settings. */
  public static ModelSettings from(Settings s) {
    List<String> algorithms = new ArrayList<>();
    for (String a : s.require("valuetier.model.algorithms").split(",")) {
      String t = a.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (!KNOWN_ALGORITHMS.contains(t)) {
        throw new ConfigException(
            "setting 'valuetier.model.algorithms' (from " + s.origin("valuetier.model.algorithms") + ") names '" + t
                + "', which is not one of " + KNOWN_ALGORITHMS);
      }
      if (!algorithms.contains(t)) {
        algorithms.add(t);
      }
    }
    if (algorithms.isEmpty()) {
      throw new ConfigException("setting 'valuetier.model.algorithms' names no algorithm; use some of " + KNOWN_ALGORITHMS);
    }
    String layers = s.require("valuetier.model.mlp.hidden-layers");
    int[] sizes;
    try {
      sizes = Arrays.stream(layers.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "setting 'valuetier.model.mlp.hidden-layers' = '" + layers + "' must be sizes separated by commas, such as 64,32");
    }
    for (int n : sizes) {
      if (n < 1 || n > 4096) {
        throw new ConfigException("setting 'valuetier.model.mlp.hidden-layers' = '" + layers + "': sizes must be 1..4096");
      }
    }
    return new ModelSettings(
        s.intValue("valuetier.model.horizon-days", 7, 3660),
        s.intValue("valuetier.model.snapshots", 1, 52),
        s.intValue("valuetier.model.snapshot-spacing-days", 1, 366),
        s.bool("valuetier.model.seasonal-snapshots"),
        s.intValue("valuetier.model.min-history-days", 0, 3660),
        s.intValue("valuetier.model.min-training-horizon-days", 7, 3660),
        s.intValue("valuetier.model.validation-days", 0, 3660),
        weights(s, "valuetier.model.correction-weights", 1, "0.25,0.5,0.75,1"),
        weights(s, "valuetier.model.naive-blend-weights", 0.9, "0,0.1,0.2"),
        s.doubleValue("valuetier.model.correction-tolerance", 0, 1),
        s.intValue("valuetier.model.max-training-rows", 1000, 100_000_000),
        s.longValue("valuetier.model.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        List.copyOf(algorithms),
        s.doubleValue("valuetier.model.champion-tolerance", 0, 1),
        candidates(s),
        s.intValue("valuetier.features.recent-window-days", 7, 3660),
        s.intValue("valuetier.model.gbt.trees", 1, 10_000),
        s.intValue("valuetier.model.gbt.max-depth", 2, 64),
        s.intValue("valuetier.model.gbt.max-nodes", 2, 4096),
        s.intValue("valuetier.model.gbt.node-size", 1, 100_000),
        s.doubleValue("valuetier.model.gbt.shrinkage", 1e-4, 1),
        s.doubleValue("valuetier.model.gbt.subsample", 0.01, 1),
        sizes,
        s.intValue("valuetier.model.mlp.epochs", 1, 10_000),
        s.intValue("valuetier.model.mlp.batch-size", 1, 100_000),
        s.doubleValue("valuetier.model.mlp.learning-rate", 1e-6, 1),
        s.doubleValue("valuetier.model.mlp.weight-decay", 0, 1),
        s.intValue("valuetier.model.mlp.patience", 1, 10_000),
        s.intValue("valuetier.model.btyd.max-customers", 100, 100_000_000),
        s.intValue("valuetier.model.cold-start.min-purchase-days", 1, 1000),
        s.intValue("valuetier.model.cold-start.min-tenure-days", 0, 3660),
        s.intValue("valuetier.model.reasons", 0, 3));
  }

  /** Weights separated by commas, each in {@code 0..max}, at least one. */
  private static double[] weights(Settings s, String key, double max, String example) {
    String raw = s.require(key);
    double[] w;
    try {
      w = Arrays.stream(raw.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
    } catch (NumberFormatException e) {
      throw new ConfigException("setting '" + key + "' = '" + raw + "' (from " + s.origin(key)
          + ") must be numbers separated by commas, such as " + example);
    }
    for (double v : w) {
      if (!(v >= 0 && v <= max)) {
        throw new ConfigException("setting '" + key + "' = '" + raw + "' (from " + s.origin(key)
            + "): weights must be 0.." + (max == 1 ? "1" : String.valueOf(max)));
      }
    }
    if (w.length == 0) {
      throw new ConfigException("setting '" + key + "' names no weight");
    }
    return w;
  }

  /** {@code valuetier.model.champion-candidates}: known algorithm names, separated by commas, at least one. */
  private static List<String> candidates(Settings s) {
    String key = "valuetier.model.champion-candidates";
    List<String> names = new ArrayList<>();
    for (String a : s.require(key).split(",")) {
      String t = a.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (!KNOWN_ALGORITHMS.contains(t)) {
        throw new ConfigException("setting '" + key + "' (from " + s.origin(key) + ") names '" + t + "', which is not"
            + " one of " + KNOWN_ALGORITHMS);
      }
      names.add(t);
    }
    if (names.isEmpty()) {
      throw new ConfigException("setting '" + key + "' names no algorithm; use some of " + KNOWN_ALGORITHMS);
    }
    return List.copyOf(names);
  }

  /** A copy with another horizon (evaluation uses the holdout's length). */
  public ModelSettings withHorizon(int days) {
    return new ModelSettings(
        days, snapshots, snapshotSpacingDays, seasonalSnapshots, minHistoryDays, minTrainingHorizonDays,
        validationDays, correctionWeights, naiveBlendWeights, correctionTolerance, maxTrainingRows, seed, algorithms,
        championTolerance, championCandidates, recentWindowDays, gbtTrees, gbtMaxDepth, gbtMaxNodes, gbtNodeSize,
        gbtShrinkage, gbtSubsample, mlpLayers, mlpEpochs, mlpBatchSize, mlpLearningRate, mlpWeightDecay, mlpPatience,
        btydMaxCustomers, coldStartMinPurchaseDays, coldStartMinTenureDays, reasons);
  }

  /** A copy with other algorithms. */
  public ModelSettings withAlgorithms(List<String> list) {
    return new ModelSettings(
        horizonDays, snapshots, snapshotSpacingDays, seasonalSnapshots, minHistoryDays, minTrainingHorizonDays,
        validationDays, correctionWeights, naiveBlendWeights, correctionTolerance, maxTrainingRows, seed,
        List.copyOf(list), championTolerance, championCandidates, recentWindowDays, gbtTrees, gbtMaxDepth, gbtMaxNodes,
        gbtNodeSize, gbtShrinkage, gbtSubsample, mlpLayers, mlpEpochs, mlpBatchSize, mlpLearningRate, mlpWeightDecay,
        mlpPatience, btydMaxCustomers, coldStartMinPurchaseDays, coldStartMinTenureDays, reasons);
  }

  /** The settings as key/value pairs, for model cards and the settings fingerprint (what changes a model). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("horizon_days", horizonDays);
    m.put("snapshots", snapshots);
    m.put("snapshot_spacing_days", snapshotSpacingDays);
    m.put("seasonal_snapshots", seasonalSnapshots);
    m.put("min_history_days", minHistoryDays);
    m.put("min_training_horizon_days", minTrainingHorizonDays);
    m.put("validation_days", validationDays);
    m.put("correction_weights", Arrays.stream(correctionWeights).boxed().toList());
    m.put("naive_blend_weights", Arrays.stream(naiveBlendWeights).boxed().toList());
    m.put("correction_tolerance", correctionTolerance);
    m.put("max_training_rows", maxTrainingRows);
    m.put("seed", seed);
    m.put("algorithms", algorithms);
    m.put("champion_tolerance", championTolerance);
    m.put("champion_candidates", championCandidates);
    m.put("recent_window_days", recentWindowDays);
    m.put("gbt_trees", gbtTrees);
    m.put("gbt_max_depth", gbtMaxDepth);
    m.put("gbt_max_nodes", gbtMaxNodes);
    m.put("gbt_node_size", gbtNodeSize);
    m.put("gbt_shrinkage", gbtShrinkage);
    m.put("gbt_subsample", gbtSubsample);
    m.put("mlp_hidden_layers", Arrays.stream(mlpLayers).boxed().toList());
    m.put("mlp_epochs", mlpEpochs);
    m.put("mlp_batch_size", mlpBatchSize);
    m.put("mlp_learning_rate", mlpLearningRate);
    m.put("mlp_weight_decay", mlpWeightDecay);
    m.put("mlp_patience", mlpPatience);
    m.put("btyd_max_customers", btydMaxCustomers);
    m.put("cold_start_min_purchase_days", coldStartMinPurchaseDays);
    m.put("cold_start_min_tenure_days", coldStartMinTenureDays);
    m.put("reasons", reasons);
    return m;
  }

  /** A short hash of {@link #asMap()}: two runs with the same value trained the same way. */
  public String fingerprint() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(Json.write(asMap()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
