package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishSettingsTest {

  @Test
  void theShippedDefaultsWriteActionFilesUnderTheInstallation() {
    Settings settings = TestData.settings();
    PublishSettings s = PublishSettings.from(settings);
    assertEquals(PublishSettings.ACTION_FILES, s.to());
    assertEquals(settings.home().resolve("out/actions"), s.folder());
    assertEquals(500, s.batchSize());
  }

  @Test
  void aBatchSizeOutOfRangeIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PublishSettings.from(TestData.settings(Map.of("valuetier.publish.batch-size", "0"))));
    assertTrue(e.getMessage().contains("valuetier.publish.batch-size") && e.getMessage().contains("'0'"),
        e.getMessage());
  }

  @Test
  void givenValuesAreReadAndTheDestinationsCredentialsStayOutOfTheText() {
    PublishSettings s = PublishSettings.from(TestData.settings(Map.of(
        "valuetier.publish.to", "https://user:hook-pw@crm.example/actions", "valuetier.publish.batch-size", "50")));
    assertEquals("https://user:hook-pw@crm.example/actions", s.to());
    assertEquals(50, s.batchSize());
    assertFalse(s.toString().contains("hook-pw"), s.toString());
  }
}
