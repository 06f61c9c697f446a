package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  @Test
  void theShippedDefaults() {
    HttpSettings s = HttpSettings.from(TestData.settings());
    assertEquals("127.0.0.1", s.host());
    assertEquals(8080, s.port());
    assertEquals(1_048_576, s.maxBodyBytes());
    assertEquals("http://127.0.0.1:8080", s.address());
    assertEquals(2 * Runtime.getRuntime().availableProcessors(), s.workerThreads(), "0 means two per core");
  }

  @Test
  void aPortOutOfRangeIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> HttpSettings.from(TestData.settings(Map.of("valuetier.http.port", "70000"))));
    assertTrue(e.getMessage().contains("valuetier.http.port") && e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void givenValuesAreRead() {
    HttpSettings s = HttpSettings.from(TestData.settings(Map.of(
        "valuetier.http.host", "0.0.0.0", "valuetier.http.port", "9090", "valuetier.http.max-body-bytes", "4096")));
    assertEquals("http://0.0.0.0:9090", s.address());
    assertEquals(4096, s.maxBodyBytes());
    assertEquals(2 * Runtime.getRuntime().availableProcessors(), s.workerThreads());
    assertEquals(3, HttpSettings.from(TestData.settings(Map.of("valuetier.http.worker-threads", "3"))).workerThreads());
  }
}
