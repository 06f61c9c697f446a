package io.valuetier.model.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.features.Feature;
import io.valuetier.model.BtydFeatures;
import io.valuetier.model.BtydValueModel;
import io.valuetier.model.GbtValueModel;
import io.valuetier.model.MlpValueModel;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Snapshot;
import io.valuetier.model.Trainer;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model cards: the {@code card.json} written with each registered model (what it is, what it was trained on and
 * with, how it scored, which versions built it), and the headlines of the cards in a registry.
 */
final class ModelCards {
  private ModelCards() {}

  /**
   * The card of a model saved as {@code modelId}.
   *
   * @param sha the SHA-256 of its model file
   * @param storeId the store it was trained on, or null
   * @param home the installation, for the git commit
   */
  static Map<String, Object> card(String modelId, int version, Trainer.Candidate c, Trainer.Result r, ModelSettings s,
      ModelRegistry.DataInfo data, String sha, String storeId, Path home) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("model_id", modelId);
    card.put("version", version);
    card.put("algorithm", c.algorithm());
    card.put("description", describe(c.algorithm()));
    card.put("trained_at", Instant.now().toString());
    if (storeId != null) {
      card.put("store_id", storeId);
    }
    card.put("seed", s.seed());
    card.put("settings", s.asMap());
    card.put("settings_fingerprint", s.fingerprint());
    Map<String, Object> schema = new LinkedHashMap<>();
    List<Map<String, Object>> features = new ArrayList<>();
    for (Feature f : Feature.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.id());
      m.put("meaning", f.meaning());
      m.put("formula", f.formula());
      m.put("model_input", f.modelInput());
      features.add(m);
    }
    schema.put("features", features);
    schema.put("model_inputs", BtydFeatures.inputNames());
    schema.put("recent_window_days", r.spec().recentWindowDays());
    schema.put("home_country", r.spec().homeCountry());
    card.put("feature_schema", schema);
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put("calibration_end", r.calibrationEnd().toString());
    windows.put("horizon_days", r.horizonDays());
    windows.put("training_snapshots", snapshots(r.trainingPlan()));
    windows.put("validation_window", r.validationCutoff().plusDays(1) + ".." + r.calibrationEnd());
    windows.put("validation_snapshots", snapshots(r.validationPlan()));
    windows.put("training_rows", r.trainingRows());
    windows.put("training_rows_before_sampling", r.trainingRowsBeforeSampling());
    card.put("training_windows", windows);
    card.put("sampling", sampling(r, s));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("fingerprint", data.fingerprint());
    d.put("source", data.source());
    d.put("customers", data.customers());
    d.put("customer_days", data.records());
    d.put("first_day", String.valueOf(data.first()));
    d.put("last_day", String.valueOf(data.last()));
    card.put("data", d);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("window", "validation " + r.validationCutoff().plusDays(1) + ".." + r.calibrationEnd());
    metrics.putAll(c.validation().asMap());
    metrics.put("champion_score", c.score());
    card.put("metrics", metrics);
    card.put("champion_when_trained", c.algorithm().equals(r.champion()));
    card.put("training_notices", r.notices());
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (c.model() instanceof BtydValueModel b) {
      parameters.put("bgnbd", b.btyd().bgnbd());
      parameters.put("gamma_gamma", b.btyd().gammaGamma());
    }
    if (c.model() instanceof GbtValueModel g) {
      parameters.put("correction_weight", g.correction());
      parameters.put("naive_blend_weight", g.blend());
      parameters.put("training_horizon_days", g.trainingHorizonDays());
      parameters.put("bgnbd", g.btyd().bgnbd());
      parameters.put("gamma_gamma", g.btyd().gammaGamma());
    }
    if (c.model() instanceof MlpValueModel g) {
      parameters.put("epochs_spend", g.spendEpochs());
      parameters.put("epochs_buy", g.buyEpochs());
      parameters.put("correction_weight", g.correction());
      parameters.put("naive_blend_weight", g.blend());
      parameters.put("training_horizon_days", g.trainingHorizonDays());
      parameters.put("bgnbd", g.btyd().bgnbd());
      parameters.put("gamma_gamma", g.btyd().gammaGamma());
    }
    if (c.model() instanceof GbtValueModel g && g.spendCalibration() != null) {
      parameters.put("spend_calibration", g.spendCalibration().asMap());
    }
    if (c.model() instanceof MlpValueModel g && g.spendCalibration() != null) {
      parameters.put("spend_calibration", g.spendCalibration().asMap());
    }
    card.put("parameters", parameters);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("valuetier", Provenance.projectVersion());
    versions.put("git_commit", Provenance.gitCommit(home));
    versions.put("smile", Provenance.smileVersion());
    versions.put("java", Provenance.javaVersion());
    card.put("versions", versions);
    card.put("git_commit", versions.get("git_commit"));
    card.put("smile_version", versions.get("smile"));
    card.put("java_version", versions.get("java"));
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("model", "model.ser");
    files.put("model_sha256", sha);
    files.put("golden", "golden.json");
    files.put("loading", "only through the allow-list filter of SafeModelInput; the golden predictions are checked");
    card.put("files", files);
    return card;
  }

  /**
   * How the training data was bounded: the stacked snapshot rows the learned models were fitted on (a seeded uniform
   * sample without replacement when there were more than {@code valuetier.model.max-training-rows}) and the customers
   * BG/NBD and Gamma-Gamma were fitted on.
   */
  static Map<String, Object> sampling(Trainer.Result r, ModelSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean sampled = r.trainingRows() < r.trainingRowsBeforeSampling();
    m.put("training_rows_method", sampled
        ? "seeded uniform sample without replacement of the stacked snapshot rows (valuetier.model.max-training-rows)"
        : "all stacked snapshot rows (fewer than valuetier.model.max-training-rows)");
    m.put("training_rows", r.trainingRows());
    m.put("training_rows_before_sampling", r.trainingRowsBeforeSampling());
    m.put("max_training_rows", s.maxTrainingRows());
    m.put("btyd_customers_method", r.scoredAtCutoff() > s.btydMaxCustomers()
        ? "seeded uniform sample of the customers at the calibration end (valuetier.model.btyd.max-customers)"
        : "every customer at the calibration end");
    m.put("btyd_customers", Math.min(r.scoredAtCutoff(), s.btydMaxCustomers()));
    m.put("customers_at_calibration_end", r.scoredAtCutoff());
    m.put("seed", s.seed());
    return m;
  }

  private static String describe(String algorithm) {
    return switch (algorithm) {
      case "gbt" -> "Smile GradientTreeBoost: regression of log(1 + spend) boosted from BG/NBD + Gamma-Gamma, isotonic "
          + "spend calibration, binomial classifier of buying again; TreeSHAP reasons";
      case "mlp" -> "Smile MLP on standardised inputs: regression of the correction to BG/NBD + Gamma-Gamma, isotonic "
          + "spend calibration, sigmoid classifier of buying again";
      case "btyd" -> "BG/NBD + Gamma-Gamma fitted by maximum likelihood (the analysts' baseline)";
      case "naive" -> "past net spend rate times the horizon";
      default -> algorithm;
    };
  }

  private static List<String> snapshots(List<Snapshot> plan) {
    return plan.stream().map(p -> p.cutoff() + " + " + p.horizonDays() + " days").toList();
  }

  /**
   * Every model in {@code dir} with the headline of its card (algorithm, version, trained-at, validation score),
   * newest first.
   */
  static List<Map<String, Object>> list(Path dir, Path home) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> cards =
        Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("card.json"))) {
      for (Path card : cards.sorted().toList()) {
        try {
          JsonNode n = Json.MAPPER.readTree(card.toFile());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("model_id", n.path("model_id").asText(card.getParent().getParent().getFileName() + "-"
              + card.getParent().getFileName()));
          m.put("algorithm", n.path("algorithm").asText(null));
          m.put("version", n.path("version").asInt());
          m.put("trained_at", n.path("trained_at").asText(null));
          if (n.path("store_id").isTextual()) {
            m.put("store_id", n.path("store_id").asText());
          }
          m.put("folder", home.toAbsolutePath().relativize(card.getParent().toAbsolutePath()).toString());
          m.put("champion_when_trained", n.path("champion_when_trained").asBoolean(false));
          JsonNode v = n.path("metrics");
          if (!v.isMissingNode()) {
            m.put("validation_metrics", v);
          }
          out.add(m);
        } catch (IOException e) {
          throw new RegistryException(card + " cannot be read: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new RegistryException("cannot list the models in " + dir + ": " + e.getMessage(), e);
    }
    Collections.reverse(out);
    return out;
  }}
