package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest contract on the real MariaDB server through MySQL Connector/J. */
class IngestRouteMysqlTest extends IngestRouteContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_ingest");
    }
    return url;
  }

  @Override
  void afterAll() {
    TestStores.dropMysql(url);
    url = null;
  }

  /**
   * Into MySQL, rows are bulk-loaded with LOAD DATA LOCAL INFILE (tab-separated, escaped); with
   * {@code allowLoadLocalInfile=false} in the URL the store falls back to multi-row INSERTs. Both must store exactly the
   * same rows, byte for byte, including the fixture's embedded newline, quotes, BOM and replaced non-UTF-8 byte.
   */
  @Test
  void bulkLoadAndInsertStoreIdenticalRows() throws SQLException {
    ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    List<String> bulk = dump(store);
    String plainUrl = TestStores.createMysqlDatabase("vt_ingest_plain");
    try {
      Settings s = TestStores.settings(plainUrl + "?allowLoadLocalInfile=false", work.resolve("plain"), Map.of());
      try (Store plain = Stores.open(s);
          IngestService service = new IngestService(s, plain)) {
        service.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
        List<String> inserted = dump(plain);
        assertTrue(bulk.size() > 10, "the fixture stores rows: " + bulk.size());
        assertEquals(inserted, bulk);
      }
    } finally {
      TestStores.dropMysql(plainUrl);
    }
  }

  private static List<String> dump(Store store) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = store.connection();
        Statement st = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT row_key,row_check,customer_id,order_id,order_ts,product_id,description,quantity,unit_price,"
                  + "currency,country,is_outlier,line_no FROM transactions ORDER BY row_key",
              "SELECT line_no,reason_code,column_name,bad_value,message,original_text FROM rejected_records"
                  + " ORDER BY line_no")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
              sb.append(rs.getString(i)).append('|');
            }
            // the message of a future date names the time of the run: not part of the comparison
            rows.add(sb.toString().replaceAll("is after \\S+ \\(now", "is after NOW (now"));
          }
        }
      }
    }
    return rows;
  }
}
