package io.valuetier.model;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.store.StoreId;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train} semantics: trains every configured algorithm on a customer log up to a cutoff (default: its last day),
 * registers each model, and records the champion chosen on the validation window, unless the recorded champion was
 * trained on the same data, settings, cutoff and horizon, in which case it is reused as it is.
 */
public final class TrainingService {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

  private final ModelSettings settings;
  private final ModelRegistry registry;

  public TrainingService(Settings settings) {
    this(ModelSettings.from(settings), registry(settings));
  }

  /** Training for the store {@code store}: its own champion (see {@link ModelRegistry#forStore}). */
  public TrainingService(Settings settings, Store store) {
    this(ModelSettings.from(settings), registry(settings, store));
  }

  public TrainingService(ModelSettings settings, ModelRegistry registry) {
    this.settings = settings;
    this.registry = registry;
  }

  /** The registry of the settings ({@code valuetier.model.registry-dir}, relative to the installation). */
  public static ModelRegistry registry(Settings s) {
    return new ModelRegistry(s.path("valuetier.model.registry-dir"), s.home());
  }

  /** The registry of the settings with the champion of {@code store}. */
  public static ModelRegistry registry(Settings s, Store store) {
    return registry(s).forStore(StoreId.of(store).id());
  }

  public ModelRegistry registry() {
    return registry;
  }

  public ModelSettings settings() {
    return settings;
  }

  /**
   * What a training did.
   *
   * @param reused whether the recorded champion was reused (nothing trained)
   * @param champion the champion's model id
   * @param registered the models registered by this training (empty when reused)
   * @param result the training's details (null when reused)
   * @param data the data trained on
   * @param seconds wall time
   */
  public record TrainingResult(
      boolean reused,
      String champion,
      List<ModelRegistry.Entry> registered,
      Trainer.Result result,
      ModelRegistry.DataInfo data,
      double seconds) {}

  /**
   * Trains on {@code log} up to {@code cutoff} (null: its last day), unless the champion already matches.
   *
   * @param source where the log came from, for the model cards
   * @param force train even when the champion matches
   */
  public TrainingResult train(CustomerLog log, String source, LocalDate cutoff, boolean force) {
    long t0 = System.nanoTime();
    if (log.records() == 0) {
      throw new IllegalArgumentException("no transactions in " + source + ": ingest some before training");
    }
    LocalDate end = cutoff != null ? cutoff : log.lastDate();
    CustomerLog seen = log.upTo((int) end.toEpochDay());
    ModelRegistry.DataInfo data =
        new ModelRegistry.DataInfo(
            seen.fingerprint(), source, seen.size(), seen.records(), seen.firstDate(), seen.lastDate());
    Optional<ModelRegistry.Champion> current = registry.champion();
    if (!force
        && current.isPresent()
        && current.get().matches(data.fingerprint(), settings.fingerprint(), end, settings.horizonDays())) {
      LOG.info("champion {} was trained on the same data and settings: reused", current.get().modelId());
      return new TrainingResult(true, current.get().modelId(), List.of(), null, data, (System.nanoTime() - t0) / 1e9);
    }
    Trainer.Result result = new Trainer(settings).train(seen, end);
    FeatureTable golden = FeatureTable.at(seen, (int) end.toEpochDay(), new FeatureBuilder(result.spec()));
    List<ModelRegistry.Entry> entries = registry.registerAll(result, settings, data, golden);
    String champion =
        entries.stream().filter(e -> e.algorithm().equals(result.champion())).findFirst().orElseThrow().modelId();
    saveDriftProfiles(result, entries, golden);
    Map<String, Object> logged = new LinkedHashMap<>();
    logged.put("champion", champion);
    registry.storeId().ifPresent(id -> logged.put("store_id", id));
    logged.put("models", entries.stream().map(ModelRegistry.Entry::modelId).toList());
    logged.put("calibration_end", end.toString());
    logged.put("data_fingerprint", data.fingerprint());
    logged.put("settings_fingerprint", settings.fingerprint());
    Map<String, Object> scores = new LinkedHashMap<>();
    result.candidates().forEach(c -> scores.put(c.algorithm(), c.score()));
    logged.put("validation_scores", scores);
    logged.put("forced", force);
    registry.log().append("trained", logged);
    LOG.info("trained {} models; champion {}", entries.size(), champion);
    return new TrainingResult(false, champion, entries, result, data, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The recorded champion as it is, nothing trained (the main job's scoring path): a result with {@code reused}
   * true and the data it would be used on.
   *
   * @throws IllegalStateException when there is no champion
   */
  public TrainingResult current(CustomerLog log, String source) {
    ModelRegistry.Champion c = registry.champion().orElseThrow(() -> new IllegalStateException(
        "no champion in " + registry.dir() + " to score with: train one first"));
    ModelRegistry.DataInfo data = log.records() == 0 ? null : new ModelRegistry.DataInfo(
        log.fingerprint(), source, log.size(), log.records(), log.firstDate(), log.lastDate());
    return new TrainingResult(true, c.modelId(), List.of(), null, data, 0);
  }

  /**
   * Keeps what drift monitoring needs of the training population (the customers at the calibration end): decile
   * edges and shares of every model input, beside each model's card.
   */
  private static void saveDriftProfiles(Trainer.Result result, List<ModelRegistry.Entry> entries, FeatureTable at) {
    long t0 = System.nanoTime();
    for (int i = 0; i < entries.size(); i++) {
      ValueModel m = result.candidates().get(i).model();
      FeatureProfile.of(at.cutoff().toString(), ModelInputs.columns(m, at), 10).save(entries.get(i).folder());
    }
    LOG.info("drift profiles of {} models on {} customers ({} s)", entries.size(), at.size(),
        Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
  }
}
