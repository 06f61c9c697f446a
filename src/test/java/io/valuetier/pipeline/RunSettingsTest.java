package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

  @Test
  void theShippedDefaultsRunTheBundledSample() {
    Settings settings = TestData.settings();
    RunSettings s = RunSettings.from(settings);
    assertEquals(settings.home().resolve("data/sample/online_retail.csv.gz"), s.transactions());
    assertEquals(TransactionFormat.of("online-retail"), s.format());
    assertEquals(settings.home().resolve("data/sample/online_retail_customers.csv"), s.customers());
    assertEquals(settings.home().resolve("out/report.html"), s.report());
    assertEquals(90, s.minCalibrationDays());
    assertFalse(s.challenge(), "retrain-policy=train");
  }

  @Test
  void aPolicyOutsideItsChoicesIsRefusedWithTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RunSettings.from(TestData.settings(Map.of("valuetier.run.retrain-policy", "sometimes"))));
    assertTrue(e.getMessage().contains("valuetier.run.retrain-policy") && e.getMessage().contains("sometimes"),
        e.getMessage());
  }

  @Test
  void anUnknownFormatIsRefusedWithTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RunSettings.from(TestData.settings(Map.of("valuetier.run.format", "spreadsheet"))));
    assertTrue(e.getMessage().contains("valuetier.run.format") && e.getMessage().contains("spreadsheet"),
        e.getMessage());
  }

  @Test
  void givenValuesAreRead() {
    RunSettings s = RunSettings.from(TestData.settings(Map.of(
        "valuetier.run.retrain-policy", "challenge", "valuetier.run.min-calibration-days", "45",
        "valuetier.run.customers", "")));
    assertTrue(s.challenge());
    assertEquals(45, s.minCalibrationDays());
    assertEquals(null, s.customers(), "no customer facts file");
  }
}
