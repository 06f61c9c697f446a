package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps text values of up to {@link JdbcUrls#INPLACE_LOB_BYTES} bytes in their row (H2's default
 * keeps only 256 bytes there and moves longer {@code MEDIUMTEXT} values to LOB maps of their own): the setting is on
 * for a URL given without it, stays on when the database is opened again, and long texts still read back whole.
 */
class InlineTextOnH2Test {
  @TempDir Path work;

  @Test
  void longTextsStayInTheirRowAndReadBackWhole() throws SQLException {
    String picks = "[" + "{\"product_id\":\"P1\",\"reason\":\"" + "x".repeat(20_000) + "\"}" + "]";
    try (Store store = Store.open(TestStores.h2Url(work), null, null, 1)) {
      assertEquals(String.valueOf(JdbcUrls.INPLACE_LOB_BYTES), setting(store));
      store.execute("INSERT INTO customer_picks (customer_id, pick_count, picks) VALUES ('c1', 1, ?)", picks);
    }
    // opened again by a plain connection whose URL does not say it (another tool, say): the database kept it
    try (Connection c = DriverManager.getConnection(TestStores.h2Url(work));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT setting_value FROM information_schema.settings"
          + " WHERE setting_name = 'MAX_LENGTH_INPLACE_LOB'")) {
        assertTrue(rs.next());
        assertEquals(String.valueOf(JdbcUrls.INPLACE_LOB_BYTES), rs.getString(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT picks FROM customer_picks WHERE customer_id = 'c1'")) {
        assertTrue(rs.next());
        assertEquals(picks, rs.getString(1));
      }
    }
  }

  private static String setting(Store store) {
    return store.queryString(
        "SELECT setting_value FROM information_schema.settings WHERE setting_name = 'MAX_LENGTH_INPLACE_LOB'");
  }
}
