package io.valuetier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown keys are warned about with the nearest known key and their origin; bad values name key, value, origin. */
class SettingsStartupTest {
  @TempDir Path home;

  @BeforeEach
  void installation() throws IOException {
    Path project = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    Files.createDirectories(home.resolve("config"));
    Files.copy(project.resolve("config/application.properties"), home.resolve("config/application.properties"));
  }

  @Test
  void aMisspeltKeyInAProfileIsWarnedWithTheKeyItProbablyMeans() throws IOException {
    Files.writeString(home.resolve("config/application-shop.properties"), "valuetier.modle.horizon-days=90\n");
    Settings s = Settings.load(home, "shop", Map.of(), Map.of());
    assertEquals(1, s.warnings().size(), s.warnings().toString());
    String w = s.warnings().getFirst();
    assertTrue(w.contains("'valuetier.modle.horizon-days'"), w);
    assertTrue(w.contains("application-shop.properties"), "names the file it came from: " + w);
    assertTrue(w.contains("did you mean 'valuetier.model.horizon-days'"), w);
  }

  @Test
  void aMisspeltKeyInTheMainFileIsWarnedToo() throws IOException {
    Files.writeString(home.resolve("config/application.properties"), "\nvaluetier.decide.offer-budgett=100\n",
        java.nio.file.StandardOpenOption.APPEND);
    List<String> w = Settings.load(home, null, Map.of(), Map.of()).warnings();
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.getFirst().contains("did you mean 'valuetier.decide.offer-budget'"), w.getFirst());
  }

  @Test
  void anEnvironmentVariableThatMapsToNoKeyIsWarnedWithTheNearestVariable() {
    List<String> w = Settings.load(home, null,
        Map.of("VALUETIER_MODEL_SEEED", "3", "VALUETIER_JAVA_OPTS", "-Xmx1g", "VALUETIER_MODEL_SEED", "4"), Map.of())
        .warnings();
    assertEquals(1, w.size(), "launcher variables and known keys are not warned about: " + w);
    assertTrue(w.getFirst().contains("VALUETIER_MODEL_SEEED"), w.getFirst());
    assertTrue(w.getFirst().contains("did you mean VALUETIER_MODEL_SEED"), w.getFirst());
  }

  @Test
  void theShippedSettingsHaveNoUnknownKey() {
    assertEquals(List.of(), Settings.load(home, null, Map.of(), Map.of()).warnings());
  }

  @Test
  void aValueOutOfRangeFailsNamingKeyValueAndOrigin() {
    Settings s = Settings.load(home, null, Map.of("VALUETIER_HTTP_PORT", "99999"), Map.of());
    ConfigException e = assertThrows(ConfigException.class, () -> SettingsSchema.checkValues(s));
    assertTrue(e.getMessage().contains("valuetier.http.port"), e.getMessage());
    assertTrue(e.getMessage().contains("99999"), e.getMessage());
    assertTrue(e.getMessage().contains("environment variable VALUETIER_HTTP_PORT"), e.getMessage());
  }

  @Test
  void aPolicyOutsideItsChoicesFailsListingTheChoices() {
    Settings s = Settings.load(home, null, Map.of(), Map.of("valuetier.run.retrain-policy", "sometimes"));
    ConfigException e = assertThrows(ConfigException.class, () -> SettingsSchema.checkValues(s));
    assertTrue(e.getMessage().contains("sometimes") && e.getMessage().contains("train, challenge"), e.getMessage());
  }

  @Test
  void theNearestKeyIsFoundByEditDistance() {
    assertEquals(2, SettingsSchema.editDistance("valuetier.http.prot", "valuetier.http.port"));
    assertEquals(null, SettingsSchema.didYouMean(java.util.Set.of("valuetier.http.port"), "valuetier.something.else"));
  }
}
