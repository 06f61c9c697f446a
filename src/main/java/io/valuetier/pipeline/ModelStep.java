package io.valuetier.pipeline;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.FeatureProfile;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.model.registry.RegistryException;
import io.valuetier.monitor.Drift;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which path the main job's model step takes, and why: <b>train</b> (train and evaluate, then score) or <b>score</b>
 * (score the new data with the current champion, nothing trained). The policy, in this order:
 *
 * <ol>
 *   <li>{@code run --retrain} trains; {@code run --score-only} scores (an error when there is no champion).
 *   <li>No champion for this store: train.
 *   <li>The model settings changed since the champion was trained (their fingerprint differs): train.
 *   <li>The data ends before the champion's calibration end (the champion has seen days this data lacks): train.
 *   <li>The data ends {@code valuetier.run.retrain-after-days} or more days after the champion's calibration end:
 *       train. The age is counted in days of data, not of the wall clock, so a rerun on the same files decides the
 *       same way whatever the date.
 *   <li>With {@code valuetier.run.retrain-on-drift=true}, a model input of today's customers drifted from the
 *       champion's training population (its PSI at or above {@code valuetier.monitor.psi.warn}): train.
 *   <li>Otherwise: score with the champion.
 * </ol>
 *
 * @param train whether the model step trains
 * @param reason why, in words (printed by {@code run} and kept in its JSON)
 */
public record ModelStep(boolean train, String reason) {

  /** What {@code run} asked for. */
  public enum Request {
    /** The policy decides. */
    AUTO,
    /** {@code --retrain}: train whatever the policy says. */
    TRAIN,
    /** {@code --score-only}: score with the champion whatever the policy says. */
    SCORE
  }

  /** The path's name: {@code train} or {@code score}. */
  public String path() {
    return train ? "train" : "score";
  }

  /**
   * Chooses the path for {@code log}.
   *
   * @param psiWarn the drift threshold ({@code valuetier.monitor.psi.warn})
   */
  public static ModelStep choose(
      Request request, RunSettings run, ModelSettings model, ModelRegistry registry, CustomerLog log, double psiWarn) {
    return choose(request, run, model, registry, log, psiWarn, d -> { });
  }

  /**
   * Chooses the path for {@code log}, and hands {@code measured} the champion's drift when the policy measured it (so
   * that monitoring, later in the same run, does not build today's features a second time).
   */
  public static ModelStep choose(Request request, RunSettings run, ModelSettings model, ModelRegistry registry,
      CustomerLog log, double psiWarn, Consumer<Drift> measured) {
    Optional<ModelRegistry.Champion> champion = registry.champion();
    if (request == Request.TRAIN) {
      return new ModelStep(true, "--retrain asked for training");
    }
    if (request == Request.SCORE) {
      if (champion.isEmpty()) {
        throw new IllegalStateException("--score-only needs a champion and " + registry.dir()
            + " holds none for this store: run `valuetier run` without --score-only once to train one");
      }
      return new ModelStep(false, "--score-only asked for scoring with champion " + champion.get().modelId());
    }
    return decide(champion, run, model.fingerprint(), log,
        () -> drift(registry, champion, log, psiWarn, measured));
  }

  /**
   * The policy without the registry: {@code drift} names the drifted input, or is empty (it is asked only when every
   * other rule says score, since it builds today's features).
   */
  static ModelStep decide(Optional<ModelRegistry.Champion> champion, RunSettings run, String settingsFingerprint,
      CustomerLog log, Supplier<Optional<String>> drift) {
    if (champion.isEmpty()) {
      return new ModelStep(true, "no champion yet for this store");
    }
    ModelRegistry.Champion c = champion.get();
    if (!c.settingsFingerprint().equals(settingsFingerprint)) {
      return new ModelStep(true, "the model settings changed since champion " + c.modelId() + " was trained");
    }
    if (log.records() == 0) {
      return new ModelStep(false, "no transactions: champion " + c.modelId() + " kept");
    }
    LocalDate last = log.lastDate();
    long age = ChronoUnit.DAYS.between(c.calibrationEnd(), last);
    if (age < 0) {
      return new ModelStep(true, "the data ends on " + last + ", before champion " + c.modelId()
          + "'s calibration end " + c.calibrationEnd());
    }
    if (age >= run.retrainAfterDays()) {
      return new ModelStep(true, "the data runs to " + last + ", " + age + " days after champion " + c.modelId()
          + "'s calibration end " + c.calibrationEnd() + " (valuetier.run.retrain-after-days=" + run.retrainAfterDays()
          + ")");
    }
    if (run.retrainOnDrift()) {
      Optional<String> drifted = drift.get();
      if (drifted.isPresent()) {
        return new ModelStep(true, drifted.get());
      }
    }
    return new ModelStep(false, "champion " + c.modelId() + " was trained on data to " + c.calibrationEnd()
        + ", " + age + (age == 1 ? " day" : " days") + " before the newest data (retrain after "
        + run.retrainAfterDays() + ")"
        + (run.retrainOnDrift() ? ", no input drifted" : ""));
  }

  private static Optional<String> drift(ModelRegistry registry, Optional<ModelRegistry.Champion> champion,
      CustomerLog log, double psiWarn, Consumer<Drift> measured) {
    ModelRegistry.Champion c = champion.orElseThrow();
    Optional<FeatureProfile> profile = FeatureProfile.load(registry.folder(c.algorithm(), c.version()));
    if (profile.isEmpty()) {
      return Optional.empty(); // trained before drift profiles existed: monitoring says so
    }
    try {
      Drift d = Drift.of(c.modelId(), registry.load(c.algorithm(), c.version()).model(), profile.get(), log,
          log.lastDate());
      measured.accept(d);
      return d.psi().entrySet().stream()
          .filter(e -> e.getValue() >= psiWarn)
          .max(Comparator.comparingDouble(Map.Entry::getValue))
          .map(e -> String.format(Locale.ROOT,
              "input %s drifted from champion %s's training population: PSI %.3f >= %s"
                  + " (valuetier.monitor.psi.warn; valuetier.run.retrain-on-drift=true)",
              e.getKey(), c.modelId(), e.getValue(), psiWarn));
    } catch (RegistryException e) {
      return Optional.of("champion " + c.modelId() + " cannot be loaded: " + e.getMessage());
    }
  }
}
