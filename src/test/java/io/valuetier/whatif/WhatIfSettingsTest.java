package io.valuetier.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhatIfSettingsTest {

  @Test
  void theShippedDefault() {
    assertEquals(50, WhatIfSettings.from(TestData.settings()).sampleSize());
  }

  @Test
  void aNegativeSampleIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> WhatIfSettings.from(TestData.settings(Map.of("valuetier.whatif.sample-size", "-1"))));
    assertTrue(e.getMessage().contains("valuetier.whatif.sample-size") && e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void aGivenValueIsRead() {
    assertEquals(7, WhatIfSettings.from(TestData.settings(Map.of("valuetier.whatif.sample-size", "7"))).sampleSize());
  }
}
