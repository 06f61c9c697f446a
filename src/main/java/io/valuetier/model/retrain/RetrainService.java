package io.valuetier.model.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.Targets;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import io.valuetier.model.TrainingService;
import io.valuetier.model.ValueModel;
import io.valuetier.model.eval.ModelMetrics;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.model.registry.RegistryLog;
import io.valuetier.records.Finding;
import io.valuetier.store.Store;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retrain}: decides whether a challenger is needed, trains it, compares it with the champion on the latest
 * holdout and promotes it only when it is better.
 *
 * <p>The protocol, with {@code E} the last day of data and {@code H = valuetier.retrain.holdout-days}:
 *
 * <ol>
 *   <li><b>Trigger</b>: the store's data fingerprint differs from the champion's (new or changed data), monitoring
 *       warns about the champion's drift or calibration ({@code valuetier.retrain.on-warnings}), or {@code --force}.
 *   <li><b>Latest holdout</b>: the customers with a purchase by {@code K = E - H}, and what they spent in
 *       {@code (K, E]}. The <b>challenger</b> is trained with the usual protocol ({@link Trainer}: validation window,
 *       champion choice among the algorithms) on the data up to {@code K} only. The <b>champion</b> predicts the same
 *       customers from their features at {@code K} as it is (no refit). When the champion was trained past {@code K}
 *       it saw part of the holdout: its figures are then optimistic and the comparison leans towards keeping it (the
 *       days are recorded as {@code champion_saw_holdout_days}).
 *   <li><b>Metric</b>: the champion criterion of training, mean of normalized Gini and Spearman of predicted vs
 *       realised spend (rankings: the models' horizon may differ from {@code H}). The challenger is promoted only if it
 *       beats the champion by at least {@code valuetier.retrain.min-improvement}.
 *   <li><b>Promotion</b>: the challenger's settings are trained again on all data up to {@code E} (the same
 *       protocol, so the promoted model has seen the holdout too), registered, and {@code champion.json} is replaced
 *       atomically. A refusal leaves {@code champion.json} untouched.
 * </ol>
 *
 * Every step is a line of the registry log ({@code models/log/registry-log.jsonl}). A refusal is remembered: the same
 * champion, data and challenger settings are not compared again (the figures would be the same) unless forced.
 */
public final class RetrainService {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainService.class);

  /**
   * The {@code valuetier.retrain.*} settings.
   *
   * @param holdoutDays {@code H}
   * @param minImprovement the margin the challenger must win by
   * @param onWarnings whether monitoring warnings trigger a challenger
   */
  public record Policy(int holdoutDays, double minImprovement, boolean onWarnings) {
    public static Policy from(Settings s) {
      return new Policy(
          s.intValue("valuetier.retrain.holdout-days", 7, 3650),
          s.doubleValue("valuetier.retrain.min-improvement", 0, 1),
          s.bool("valuetier.retrain.on-warnings"));
    }
  }

  /**
   * The comparison on the latest holdout.
   *
   * @param cutoff {@code K}: features of both predictions, last day the challenger saw
   * @param end {@code E}
   * @param customers customers compared
   * @param championId the champion
   * @param championSawHoldoutDays days of {@code (K, E]} the champion was trained on
   * @param champion its holdout metrics
   * @param challengerAlgorithm the algorithm the challenger's training chose
   * @param challenger the challenger's holdout metrics
   * @param championScore mean of normalized Gini and Spearman, champion
   * @param challengerScore the same, challenger
   */
  public record Comparison(
      LocalDate cutoff,
      LocalDate end,
      int customers,
      String championId,
      int championSawHoldoutDays,
      ModelMetrics champion,
      String challengerAlgorithm,
      ModelMetrics challenger,
      double championScore,
      double challengerScore) {

    public double improvement() {
      return challengerScore - championScore;
    }

    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("holdout", cutoff.plusDays(1) + ".." + end);
      m.put("cutoff", cutoff.toString());
      m.put("customers", customers);
      m.put("metric", "mean of normalized Gini and Spearman of predicted vs realised holdout spend");
      m.put("champion", championId);
      m.put("champion_saw_holdout_days", championSawHoldoutDays);
      m.put("champion_score", championScore);
      m.put("champion_metrics", champion.asMap());
      m.put("challenger_algorithm", challengerAlgorithm);
      m.put("challenger_score", challengerScore);
      m.put("challenger_metrics", challenger.asMap());
      m.put("improvement", improvement());
      return m;
    }
  }

  /**
   * What a retrain check did.
   *
   * @param decision {@code NO_TRIGGER}, {@code ALREADY_REFUSED} (the same comparison was refused before),
   *     {@code PROMOTED}, {@code REFUSED} or {@code SKIPPED} (could not compare)
   * @param triggers why a challenger was (or would have been) trained
   * @param comparison the figures (null unless compared)
   * @param championBefore the champion before
   * @param championAfter the champion after (the same unless promoted)
   * @param reason the decision in words
   * @param seconds wall time
   */
  public record RetrainResult(
      String decision,
      List<String> triggers,
      Comparison comparison,
      String championBefore,
      String championAfter,
      String reason,
      double seconds) {

    public boolean promoted() {
      return "PROMOTED".equals(decision);
    }

    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("decision", decision);
      m.put("triggers", triggers);
      m.put("champion_before", championBefore);
      m.put("champion_after", championAfter);
      m.put("reason", reason);
      m.put("comparison", comparison == null ? null : comparison.asMap());
      m.put("seconds", seconds);
      return m;
    }
  }

  private final ModelSettings challengerSettings;
  private final ModelRegistry registry;
  private final Policy policy;
  private final RegistryLog log;

  /**
   * @param challengerSettings the settings the challenger is trained with (normally the current settings)
   */
  public RetrainService(ModelSettings challengerSettings, ModelRegistry registry, Policy policy) {
    this.challengerSettings = challengerSettings;
    this.registry = registry;
    this.policy = policy;
    this.log = registry.log();
  }

  public RetrainService(Settings s) {
    this(ModelSettings.from(s), TrainingService.registry(s), Policy.from(s));
  }

  /** Retraining of the champion of {@code store}. */
  public RetrainService(Settings s, Store store) {
    this(ModelSettings.from(s), TrainingService.registry(s, store), Policy.from(s));
  }

  /**
   * Checks whether a challenger is due and runs the protocol.
   *
   * @param data the store's customer log
   * @param source where it came from, for the model cards
   * @param warnings monitoring's warnings about the champion (drift, calibration); may be empty
   * @param force train a challenger even without a trigger
   */
  public RetrainResult retrain(CustomerLog data, String source, List<Finding> warnings, boolean force) {
    long t0 = System.nanoTime();
    Optional<ModelRegistry.Champion> current = registry.champion();
    if (current.isEmpty()) {
      String reason = "no champion in " + registry.dir() + ": run `valuetier train` first";
      log.append("retrain_skipped", Map.of("reason", reason));
      return new RetrainResult("SKIPPED", List.of(), null, null, null, reason, since(t0));
    }
    ModelRegistry.Champion champion = current.get();
    if (data.records() == 0) {
      String reason = "no transactions in " + source;
      log.append("retrain_skipped", Map.of("reason", reason, "champion", champion.modelId()));
      return new RetrainResult("SKIPPED", List.of(), null, champion.modelId(), champion.modelId(), reason, since(t0));
    }
    LocalDate end = data.lastDate();
    String fingerprint = data.upTo((int) end.toEpochDay()).fingerprint();

    // 1. Trigger.
    List<String> triggers = new ArrayList<>();
    if (!fingerprint.equals(champion.dataFingerprint())) {
      triggers.add("new data: the store (to " + end + ") differs from the data " + champion.modelId()
          + " was trained on (to " + champion.calibrationEnd() + ")");
    }
    if (policy.onWarnings()) {
      for (Finding w : warnings) {
        if (w.warning() && !w.area().equals("decisions")) {
          triggers.add("monitoring: " + w.message());
        }
      }
    }
    if (force) {
      triggers.add("forced (--force)");
    }
    Optional<JsonNode> refusedBefore = force ? Optional.empty()
        : log.read().reversed().stream()
            .filter(e -> e.path("event").asText().equals("refused"))
            .findFirst()
            .filter(e -> e.path("champion").asText().equals(champion.modelId())
                && e.path("store_fingerprint").asText().equals(fingerprint)
                && e.path("challenger_settings_fingerprint").asText().equals(challengerSettings.fingerprint()));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("champion", champion.modelId());
    t.put("store_fingerprint", fingerprint);
    t.put("champion_fingerprint", champion.dataFingerprint());
    t.put("data_end", end.toString());
    t.put("triggers", triggers);
    if (!triggers.isEmpty() && refusedBefore.isPresent()) {
      String reason = "a challenger with the same settings was already compared with " + champion.modelId()
          + " on this very data and refused (" + refusedBefore.get().path("at").asText() + "); nothing new to "
          + "compare until data or settings change (--force compares again)";
      t.put("reason", reason);
      log.append("retrain_not_needed", t);
      return new RetrainResult("ALREADY_REFUSED", triggers, null, champion.modelId(), champion.modelId(), reason,
          since(t0));
    }
    if (triggers.isEmpty()) {
      String reason = "no trigger: the champion was trained on the data in the store and monitoring gave no model "
          + "warning";
      t.put("reason", reason);
      log.append("retrain_not_needed", t);
      return new RetrainResult("NO_TRIGGER", List.of(), null, champion.modelId(), champion.modelId(), reason, since(t0));
    }
    log.append("retrain_triggered", t);

    // 2. The challenger, trained only on the data before the latest holdout.
    LocalDate cutoff = end.minusDays(policy.holdoutDays());
    if (!cutoff.isAfter(data.firstDate())) {
      return skip(champion, triggers, "the data (" + data.firstDate() + ".." + end + ") is not longer than "
          + "valuetier.retrain.holdout-days = " + policy.holdoutDays() + ": no holdout to compare on", t0);
    }
    long t1 = System.nanoTime();
    Trainer.Result challenger;
    try {
      challenger = new Trainer(challengerSettings).train(data, cutoff);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return skip(champion, triggers, "the challenger cannot be trained on the data up to " + cutoff + ": "
          + e.getMessage(), t0);
    }
    Map<String, Object> ch = new LinkedHashMap<>();
    ch.put("calibration_end", cutoff.toString());
    ch.put("settings_fingerprint", challengerSettings.fingerprint());
    ch.put("algorithms", challengerSettings.algorithms());
    ch.put("chosen_algorithm", challenger.champion());
    Map<String, Object> vs = new LinkedHashMap<>();
    challenger.candidates().forEach(c -> vs.put(c.algorithm(), c.score()));
    ch.put("validation_scores", vs);
    ch.put("seconds", since(t1));
    log.append("challenger_trained", ch);

    // 3. Both on the latest holdout.
    ValueModel championModel = registry.load(champion.algorithm(), champion.version()).model();
    ValueModel challengerModel = challenger.championCandidate().model();
    int k = (int) cutoff.toEpochDay();
    FeatureTable championTable = FeatureTable.at(data, k, new FeatureBuilder(championModel.featureSpec()));
    FeatureTable challengerTable = FeatureTable.at(data, k, new FeatureBuilder(challenger.spec()));
    if (championTable.size() != challengerTable.size() || championTable.size() == 0) {
      return skip(champion, triggers, "the holdout populations differ (" + championTable.size() + " vs "
          + challengerTable.size() + " customers)", t0);
    }
    Targets actual = Targets.of(championTable, policy.holdoutDays());
    ModelMetrics mc = evaluate(championModel, championTable, actual);
    ModelMetrics mx = evaluate(challengerModel, challengerTable, actual);
    int saw = (int) Math.max(0, champion.calibrationEnd().toEpochDay() - cutoff.toEpochDay());
    Comparison cmp = new Comparison(cutoff, end, championTable.size(), champion.modelId(), saw, mc,
        challenger.champion(), mx, Trainer.score(mc), Trainer.score(mx));
    Map<String, Object> cm = cmp.asMap();
    cm.put("min_improvement", policy.minImprovement());
    log.append("compared", cm);
    LOG.info("latest holdout {}..{}: champion {} {}, challenger {} {}", cutoff.plusDays(1), end, champion.modelId(),
        round(cmp.championScore()), challenger.champion(), round(cmp.challengerScore()));

    // 4. Promote only when better.
    if (cmp.improvement() < policy.minImprovement()) {
      String reason = String.format(Locale.ROOT, "refused: the challenger (%s) scores %.4f on the latest holdout "
          + "%s..%s, the champion %s %.4f; improvement %+.4f is below valuetier.retrain.min-improvement = %.4f",
          challenger.champion(), cmp.challengerScore(), cutoff.plusDays(1), end, champion.modelId(),
          cmp.championScore(), cmp.improvement(), policy.minImprovement());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("champion", champion.modelId());
      r.put("store_fingerprint", fingerprint);
      r.put("challenger_settings_fingerprint", challengerSettings.fingerprint());
      r.put("reason", reason);
      r.put("improvement", cmp.improvement());
      log.append("refused", r);
      return new RetrainResult("REFUSED", triggers, cmp, champion.modelId(), champion.modelId(), reason, since(t0));
    }
    TrainingService.TrainingResult refit =
        new TrainingService(challengerSettings, registry).train(data, source, end, true);
    String reason = String.format(Locale.ROOT, "promoted: the challenger (%s) scores %.4f on the latest holdout "
        + "%s..%s, the champion %s %.4f; improvement %+.4f >= valuetier.retrain.min-improvement = %.4f. Trained again "
        + "on all data to %s as %s", challenger.champion(), cmp.challengerScore(), cutoff.plusDays(1), end,
        champion.modelId(), cmp.championScore(), cmp.improvement(), policy.minImprovement(), end, refit.champion());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("previous_champion", champion.modelId());
    p.put("champion", refit.champion());
    p.put("calibration_end", end.toString());
    p.put("data_fingerprint", refit.data().fingerprint());
    p.put("reason", reason);
    p.put("improvement", cmp.improvement());
    log.append("promoted", p);
    return new RetrainResult("PROMOTED", triggers, cmp, champion.modelId(), refit.champion(), reason, since(t0));
  }

  private RetrainResult skip(ModelRegistry.Champion champion, List<String> triggers, String reason, long t0) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("champion", champion.modelId());
    m.put("reason", reason);
    log.append("retrain_skipped", m);
    return new RetrainResult("SKIPPED", triggers, null, champion.modelId(), champion.modelId(), reason, since(t0));
  }

  private static ModelMetrics evaluate(ValueModel model, FeatureTable table, Targets actual) {
    double[] spend = new double[table.size()];
    double[] prob = new double[table.size()];
    model.predict(table.matrix(), spend, prob);
    return ModelMetrics.of(spend, actual.spend(), prob, actual.buys());
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
