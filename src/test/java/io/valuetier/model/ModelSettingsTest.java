package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTest {

  @Test
  void theShippedSettingsAreValid() {
    ModelSettings s = ModelSettings.from(TestData.settings());
    assertEquals(184, s.horizonDays());
    assertEquals(java.util.List.of("gbt", "mlp", "btyd", "naive"), s.algorithms());
  }

  @Test
  void anUnknownAlgorithmIsRefusedWithItsKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "gbt,xgboost"))));
    assertTrue(e.getMessage().contains("valuetier.model.algorithms") && e.getMessage().contains("xgboost"));
  }

  @Test
  void aCorrectionWeightOutsideZeroToOneIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ModelSettings.from(TestData.settings(Map.of("valuetier.model.correction-weights", "0.5,2"))));
    assertTrue(e.getMessage().contains("valuetier.model.correction-weights"));
  }

  @Test
  void aNaiveBlendOfNinetyPercentOrMoreIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ModelSettings.from(TestData.settings(Map.of("valuetier.model.naive-blend-weights", "0,0.95"))));
    assertTrue(e.getMessage().contains("valuetier.model.naive-blend-weights") && e.getMessage().contains("0..0.9"),
        e.getMessage());
    ModelSettings s = ModelSettings.from(TestData.settings());
    assertArrayEquals(new double[] {0, 0.1, 0.2}, s.naiveBlendWeights());
    assertEquals(0.003, s.correctionTolerance());
  }

  @Test
  void theSettingsFingerprintChangesWithAHyperParameter() {
    String a = ModelSettings.from(TestData.settings()).fingerprint();
    String b = ModelSettings.from(TestData.settings(Map.of("valuetier.model.gbt.trees", "101"))).fingerprint();
    assertTrue(!a.equals(b));
  }
}
