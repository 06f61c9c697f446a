package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.model.TestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  @Test
  void theShippedDefaults() {
    IngestSettings s = IngestSettings.from(TestData.settings());
    assertEquals(5000, s.chunkSize());
    assertEquals(20, s.maxRecordLines());
    assertEquals(1_048_576, s.maxRecordBytes());
    assertEquals("direct:ingest-transactions", s.transactionsFrom());
    assertEquals("direct:ingest-customers", s.customersFrom());
    assertEquals("direct:ingest-outcomes", s.outcomesFrom());
    assertEquals("direct:ingest-transactions-jdbc", s.jdbcFrom());
    assertNull(s.jdbcUrl(), "no source database unless one is set");
  }

  @Test
  void aRecordLimitBelowTheMinimumIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> IngestSettings.from(TestData.settings(Map.of("valuetier.ingest.max-record-bytes", "100"))));
    assertTrue(e.getMessage().contains("valuetier.ingest.max-record-bytes") && e.getMessage().contains("'100'"),
        e.getMessage());
  }

  @Test
  void aChunkSizeThatIsNoNumberIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> IngestSettings.from(TestData.settings(Map.of("valuetier.ingest.chunk-size", "lots"))));
    assertTrue(e.getMessage().contains("valuetier.ingest.chunk-size") && e.getMessage().contains("lots"), e.getMessage());
  }

  @Test
  void givenValuesAreReadAndTheSourcePasswordStaysOutOfTheText() {
    IngestSettings s = IngestSettings.from(TestData.settings(Map.of(
        "valuetier.ingest.chunk-size", "250", "valuetier.ingest.max-record-lines", "3",
        "valuetier.ingest.jdbc.url", "jdbc:mysql://shop:3306/orders", "valuetier.ingest.jdbc.password", "src-pw")));
    assertEquals(250, s.chunkSize());
    assertEquals(3, s.maxRecordLines());
    assertEquals("jdbc:mysql://shop:3306/orders", s.jdbcUrl());
    assertEquals("src-pw", s.jdbcPassword());
    assertFalse(s.toString().contains("src-pw"), s.toString());
  }
}
