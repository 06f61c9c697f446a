package io.valuetier.model.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.model.GbtValueModel;
import io.valuetier.model.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models saved by this version and committed under {@code src/test/resources/compat/registry} must keep loading
 * through the allow-list and making their golden predictions: a change that breaks saved models fails here.
 */
class CommittedModelTest {
  static final Path REGISTRY = TestData.home().resolve("src/test/resources/compat/registry");

  @Test
  void everyCommittedModelLoadsAndMakesItsGoldenPredictions() {
    ModelRegistry registry = new ModelRegistry(REGISTRY, TestData.home());
    for (String algorithm : List.of("gbt", "mlp", "btyd", "naive")) {
      ModelRegistry.Loaded loaded = registry.load(algorithm, 1); // checks checksum, filter and golden rows
      assertEquals(algorithm, loaded.model().algorithm());
    }
  }

  @Test
  void theCommittedChampionAndItsExplainerLoad() {
    ModelRegistry registry = new ModelRegistry(REGISTRY, TestData.home());
    assertTrue(registry.champion().isPresent());
    assertTrue(registry.loadExplainer().model().explains());
    registry.loadChampion();
  }

  @Test
  void aModelSavedBeforeIntervalsExistedHasNone() {
    // the committed models predate SpendCalibration (a model with binned intervals: SpendCalibrationTest)
    GbtValueModel gbt = (GbtValueModel) new ModelRegistry(REGISTRY, TestData.home()).load("gbt", 1).model();
    assertNull(gbt.spendCalibration());
    assertNull(gbt.interval(100, 0.5));
  }
}
