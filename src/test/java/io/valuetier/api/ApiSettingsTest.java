package io.valuetier.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

  @Test
  void theShippedDefaults() {
    ApiSettings s = ApiSettings.from(TestData.settings());
    assertEquals(20_000, s.rateLimitPerSecond());
    assertTrue(s.watchRules());
    assertEquals(8080, s.http().port());
  }

  @Test
  void aWatchFlagThatIsNoBooleanIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ApiSettings.from(TestData.settings(Map.of("valuetier.api.watch-rules", "sometimes"))));
    assertTrue(e.getMessage().contains("valuetier.api.watch-rules") && e.getMessage().contains("sometimes"),
        e.getMessage());
  }

  @Test
  void aRateLimitOfZeroIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ApiSettings.from(TestData.settings(Map.of("valuetier.api.rate-limit.per-second", "0"))));
    assertTrue(e.getMessage().contains("valuetier.api.rate-limit.per-second"), e.getMessage());
  }

  @Test
  void givenValuesAreRead() {
    ApiSettings s = ApiSettings.from(TestData.settings(Map.of(
        "valuetier.api.rate-limit.per-second", "25", "valuetier.api.watch-rules", "off")));
    assertEquals(25, s.rateLimitPerSecond());
    assertFalse(s.watchRules());
  }
}
