package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.TestData;
import io.valuetier.model.registry.ModelRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retraining policy of the main job's model step: one rule, one test. */
class ModelStepTest {
  private static final LocalDate CAL_END = LocalDate.of(2011, 12, 1);
  private static final RunSettings RUN = RunSettings.from(TestData.settings(Map.of(
      "valuetier.run.retrain-after-days", "7", "valuetier.run.retrain-on-drift", "true")));
  private static final Supplier<Optional<String>> NO_DRIFT = Optional::empty;

  private static ModelRegistry.Champion champion(String settingsFingerprint) {
    return new ModelRegistry.Champion("gbt-v3", "gbt", 3, "data", settingsFingerprint, CAL_END, 184,
        Instant.parse("2026-12-01T00:00:00Z"), "gbt", 3, null);
  }

  /** Two customers whose data ends {@code daysAfter} days after the champion's calibration end. */
  private static CustomerLog logEnding(int daysAfter) {
    int end = (int) CAL_END.toEpochDay() + daysAfter;
    return CustomerLog.builder()
        .add("1", end - 200, 10, 1, "P1", "United Kingdom")
        .add("2", end, 20, 2, "P2", "United Kingdom")
        .build();
  }

  @Test
  void withoutAChampionTheStepTrains() {
    ModelStep s = ModelStep.decide(Optional.empty(), RUN, "fp", logEnding(0), NO_DRIFT);
    assertTrue(s.train());
    assertEquals("train", s.path());
    assertTrue(s.reason().contains("no champion"), s.reason());
  }

  @Test
  void changedModelSettingsMakeTheStepTrain() {
    ModelStep s = ModelStep.decide(Optional.of(champion("old")), RUN, "new", logEnding(1), NO_DRIFT);
    assertTrue(s.train());
    assertTrue(s.reason().contains("model settings changed"), s.reason());
  }

  @Test
  void dataYoungerThanTheRetrainAgeIsScoredWithTheChampion() {
    ModelStep s = ModelStep.decide(Optional.of(champion("fp")), RUN, "fp", logEnding(6), NO_DRIFT);
    assertFalse(s.train());
    assertEquals("score", s.path());
    assertTrue(s.reason().contains("gbt-v3") && s.reason().contains("6 days"), s.reason());
  }

  @Test
  void dataAtTheRetrainAgeMakesTheStepTrainAndNamesTheSetting() {
    ModelStep s = ModelStep.decide(Optional.of(champion("fp")), RUN, "fp", logEnding(7), NO_DRIFT);
    assertTrue(s.train());
    assertTrue(s.reason().contains("7 days after") && s.reason().contains("valuetier.run.retrain-after-days=7"),
        s.reason());
  }

  @Test
  void dataEndingBeforeTheChampionsCalibrationEndMakesTheStepTrain() {
    ModelStep s = ModelStep.decide(Optional.of(champion("fp")), RUN, "fp", logEnding(-3), NO_DRIFT);
    assertTrue(s.train());
    assertTrue(s.reason().contains("before champion gbt-v3"), s.reason());
  }

  @Test
  void aDriftedInputMakesTheStepTrainWithItsReason() {
    ModelStep s = ModelStep.decide(Optional.of(champion("fp")), RUN, "fp", logEnding(2),
        () -> Optional.of("input frequency drifted"));
    assertTrue(s.train());
    assertEquals("input frequency drifted", s.reason());
  }

  @Test
  void driftIsNotMeasuredWhenTheSettingIsOffOrAnotherRuleAlreadyTrains() {
    AtomicInteger asked = new AtomicInteger();
    Supplier<Optional<String>> drift = () -> {
      asked.incrementAndGet();
      return Optional.of("drifted");
    };
    RunSettings off = RunSettings.from(TestData.settings(Map.of("valuetier.run.retrain-on-drift", "false")));
    assertFalse(ModelStep.decide(Optional.of(champion("fp")), off, "fp", logEnding(2), drift).train());
    assertTrue(ModelStep.decide(Optional.of(champion("fp")), RUN, "fp", logEnding(30), drift).train());
    assertEquals(0, asked.get(), "drift costs a pass over today's features: asked only when it can decide");
  }
}
