package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.model.TestData;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecideSettingsTest {

  @Test
  void theShippedDefaults() {
    Settings settings = TestData.settings();
    DecideSettings s = DecideSettings.from(settings);
    assertEquals(settings.home().normalize(), s.ruleSetDir());
    assertEquals(200, s.insertRows());
    assertEquals(4096, s.batchSize());
    assertEquals(0, s.threads());
    assertEquals(Duration.ofDays(90), s.traceRetention());
    assertEquals(500, s.watchDebounceMs());
    assertEquals(3, s.guardrails().maxContacts());
    assertEquals(30, s.guardrails().contactWindowDays());
    assertEquals(0, new BigDecimal("50000").compareTo(s.guardrails().offerBudget()));
    assertFalse(s.challenger().enabled(), "no challenger folder is set");
    assertEquals(0.10, s.controlGroups().share("WINBACK_VOUCHER"));
  }

  @Test
  void insertRowsOutOfRangeAreRefusedWithTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DecideSettings.from(TestData.settings(Map.of("valuetier.decide.insert-rows", "0"))));
    assertTrue(e.getMessage().contains("valuetier.decide.insert-rows") && e.getMessage().contains("'0'"),
        e.getMessage());
  }

  @Test
  void aDebounceThatIsNoNumberIsRefusedWithTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DecideSettings.from(TestData.settings(Map.of("valuetier.decide.watch.debounce-ms", "soon"))));
    assertTrue(e.getMessage().contains("valuetier.decide.watch.debounce-ms") && e.getMessage().contains("soon"),
        e.getMessage());
  }

  @Test
  void givenValuesAreReadAndTheBatchOptionsComeFromThem() {
    Settings settings = TestData.settings(Map.of(
        "valuetier.decide.insert-rows", "17", "valuetier.decide.threads", "3", "valuetier.decide.batch-size", "64",
        "valuetier.decide.trace.retention-days", "5", "valuetier.decide.rule-set-dir", "rules/../dmn/..",
        "valuetier.decide.offer-budget", "unlimited", "valuetier.decide.challenger.dir", "dmn",
        "valuetier.decide.challenger.share", "0.25"));
    DecideSettings s = DecideSettings.from(settings);
    assertEquals(17, s.insertRows());
    assertEquals(settings.home().normalize(), s.ruleSetDir(), "relative to the installation, normalized");
    assertEquals(null, s.guardrails().offerBudget());
    assertTrue(s.challenger().enabled());
    assertEquals(settings.home().resolve("dmn"), s.challenger().dir());
    assertEquals(0.25, s.challenger().share());
    assertEquals(new BatchDecider.Options(3, 64, true, Duration.ofDays(5)), BatchDecider.Options.from(s, null, false));
    assertEquals(new BatchDecider.Options(2, 64, false, Duration.ofDays(5)), BatchDecider.Options.from(s, 2, true));
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores, BatchDecider.Options.from(s, 0, false).threads(), "0 threads = one per core");
  }
}
