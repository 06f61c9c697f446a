package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.model.TestData;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingsTest {

  @Test
  void theShippedSettingsOpenTheEmbeddedDatabase() {
    StoreSettings s = StoreSettings.from(TestData.settings());
    assertEquals(Store.defaultUrl(TestData.settings().home()), s.url());
    assertEquals("root", s.user());
    assertNull(s.password());
    assertEquals(4, s.poolSize());
    assertEquals("PREFERRED", s.tls().sslMode());
    assertNull(s.tls().trustStoreUrl());
  }

  @Test
  void aPoolSizeOutOfRangeIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> StoreSettings.from(TestData.settings(Map.of("valuetier.db.pool-size", "0"))));
    assertTrue(e.getMessage().contains("valuetier.db.pool-size") && e.getMessage().contains("'0'"), e.getMessage());
  }

  @Test
  void anUnknownSslModeIsRefusedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> StoreSettings.from(TestData.settings(Map.of("valuetier.db.ssl-mode", "sometimes"))));
    assertTrue(e.getMessage().contains("valuetier.db.ssl-mode") && e.getMessage().contains("SOMETIMES"), e.getMessage());
  }

  @Test
  void givenValuesAreReadAndThePasswordsStayOutOfTheText() {
    StoreSettings s = StoreSettings.from(TestData.settings(Map.of(
        "valuetier.db.url", "jdbc:mysql://db:3306/vt", "valuetier.db.password", "s3cret-pw", "valuetier.db.pool-size",
        "12", "valuetier.db.ssl-mode", "verify_identity", "valuetier.db.trust-store-password", "trust-pw")));
    assertEquals("jdbc:mysql://db:3306/vt", s.url());
    assertEquals(12, s.poolSize());
    assertEquals("VERIFY_IDENTITY", s.tls().sslMode());
    assertEquals("trust-pw", s.tls().trustStorePassword());
    assertFalse(s.toString().contains("s3cret-pw") || s.toString().contains("trust-pw"), s.toString());
  }

  @Test
  void aServerOpensTheEmbeddedStoreWithoutBackgroundCompaction(@TempDir Path work) {
    Settings settings = TestData.settings(Map.of("valuetier.db.url", TestStores.h2Url(work)));
    StoreSettings serving = StoreSettings.from(settings).forServing(settings);
    assertTrue(serving.url().endsWith(";AUTO_COMPACT_FILL_RATE=0"), serving.url());
    try (Store store = serving.open()) {
      assertEquals("0", store.queryString(
          "SELECT setting_value FROM information_schema.settings WHERE setting_name = 'AUTO_COMPACT_FILL_RATE'"));
    }
  }

  @Test
  void aFillRateInTheUrlTheSettingOrAMysqlUrlLeaveTheServersUrlAsItIs(@TempDir Path work) {
    String own = TestStores.h2Url(work) + ";auto_compact_fill_rate=50";
    Settings withOwn = TestData.settings(Map.of("valuetier.db.url", own));
    assertEquals(own, StoreSettings.from(withOwn).forServing(withOwn).url());
    Settings on = TestData.settings(Map.of(
        "valuetier.db.url", TestStores.h2Url(work), "valuetier.db.h2.compact-while-serving", "true"));
    assertEquals(TestStores.h2Url(work), StoreSettings.from(on).forServing(on).url());
    Settings mysql = TestData.settings(Map.of("valuetier.db.url", "jdbc:mysql://db:3306/vt"));
    assertEquals("jdbc:mysql://db:3306/vt", StoreSettings.from(mysql).forServing(mysql).url());
  }
}
