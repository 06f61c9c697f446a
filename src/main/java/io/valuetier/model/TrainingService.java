package io.valuetier.model;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.eval.RollingChoice;
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

  /** How far apart a rolling backtest's data end and a training's calibration end may be when none is set. */
  public static final int ROLLING_CHOICE_DAYS = 92;

  private final ModelSettings settings;
  private final ModelRegistry registry;
  private final int rollingChoiceDays;

  public TrainingService(Settings settings) {
    this(ModelSettings.from(settings), registry(settings), rollingChoiceDays(settings));
  }

  /** Training for the store {@code store}: its own champion (see {@link ModelRegistry#forStore}). */
  public TrainingService(Settings settings, Store store) {
    this(ModelSettings.from(settings), registry(settings, store), rollingChoiceDays(settings));
  }

  public TrainingService(ModelSettings settings, ModelRegistry registry) {
    this(settings, registry, ROLLING_CHOICE_DAYS);
  }

  /**
   * @param rollingChoiceDays a champion chosen by a recorded rolling backtest ({@link RollingChoice}) is used when its
   *     data ends at most this many days from the calibration end; 0 never uses one
   */
  public TrainingService(ModelSettings settings, ModelRegistry registry, int rollingChoiceDays) {
    this.settings = settings;
    this.registry = registry;
    this.rollingChoiceDays = rollingChoiceDays;
  }

  private static int rollingChoiceDays(Settings s) {
    return s.intValue("valuetier.model.rolling-choice.max-days", 0, 3650);
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
    Trainer.Result result = byRollingChoice(new Trainer(settings).train(seen, end), end);
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
   * The training with the champion of the rolling backtest recorded in the registry ({@link RollingChoice}), when
   * there is one whose data ends within {@code rollingChoiceDays} of {@code end} and its algorithm was trained here;
   * otherwise as the validation window chose. Either way the model cards say which.
   */
  private Trainer.Result byRollingChoice(Trainer.Result result, LocalDate end) {
    if (rollingChoiceDays <= 0) {
      return result;
    }
    Optional<RollingChoice> recorded = RollingChoice.read(registry.dir());
    if (recorded.isEmpty()) {
      return result;
    }
    RollingChoice choice = recorded.get();
    if (!choice.reaches(end, rollingChoiceDays)) {
      return result.withChampion(result.champion(), "champion chosen on the validation window: the recorded rolling"
          + " backtest's data ends on " + choice.dataEnd() + ", more than valuetier.model.rolling-choice.max-days ("
          + rollingChoiceDays + ") from the calibration end " + end);
    }
    if (result.candidates().stream().noneMatch(c -> c.algorithm().equals(choice.algorithm()))) {
      return result.withChampion(result.champion(), "champion chosen on the validation window: the rolling backtest"
          + " chose " + choice.algorithm() + ", which this training did not train");
    }
    if (!settings.championCandidates().contains(choice.algorithm())) {
      return result.withChampion(result.champion(), "champion chosen on the validation window: the rolling backtest"
          + " chose " + choice.algorithm() + ", which is not a champion candidate " + settings.championCandidates()
          + " (valuetier.model.champion-candidates)");
    }
    LOG.info("{}", choice.describe());
    return result.withChampion(choice.algorithm(), choice.describe()
        + (choice.algorithm().equals(result.champion()) ? "" : "; the validation window alone would have chosen "
            + result.champion()));
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
