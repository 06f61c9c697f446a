package io.valuetier.model.picks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A picks run over earlier picks replaces each customer's row in place and deletes the rows it did not write, on H2
 * ({@code MERGE}) and MariaDB ({@code ON DUPLICATE KEY UPDATE}): the table holds exactly the last run's picks.
 */
class PicksReplacementTest {
  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "mariadb"})
  void aSecondRunWritesTheSamePicksAndDropsRowsItDidNotWrite(String kind) throws Exception {
    String url = kind.equals("h2") ? TestStores.h2Url(work) : TestStores.createMysqlDatabase("vt_picks");
    Path file = work.resolve("shop.csv");
    StringBuilder csv = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
        + "Country\n");
    // six customers, each buying two of five products that overlap with the next customer's
    for (int c = 0; c < 6; c++) {
      for (int p : new int[] {c % 5, (c + 1) % 5}) {
        csv.append(String.format("%d,P%d,PRODUCT %d,2,2011-0%d-1%d 10:00:00,1.50,%d,France%n",
            500000 + c, p, p, 1 + c, p, 20000 + c));
      }
    }
    Files.writeString(file, csv);
    Settings s = TestStores.settings(url, work, Map.of("valuetier.model.registry-dir", work.resolve("models")
        .toString()));
    try (Store store = Stores.open(s)) {
      try (IngestService ingest = new IngestService(s, store)) {
        ingest.ingestTransactions(file, TransactionFormat.ONLINE_RETAIL);
      }
      PicksService picks = new PicksService(s, store);
      picks.run();
      Map<String, String> first = rows(store);
      assertTrue(first.size() >= 6, "every customer has picks, and the popular products are stored: " + first);

      store.execute("INSERT INTO customer_picks (customer_id, pick_count, picks) VALUES ('gone', 1, '[]')");
      picks.run();
      assertEquals(first, rows(store), "the same picks, and no row the run did not write");
      assertEquals(1, store.queryLong("SELECT COUNT(DISTINCT run_id) FROM customer_picks"));
    } finally {
      if (!kind.equals("h2")) {
        TestStores.dropMysql(url);
      }
    }
  }

  private static Map<String, String> rows(Store store) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Connection c = store.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT customer_id, pick_count, picks FROM customer_picks")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getInt(2) + " " + rs.getString(3));
      }
    }
    return m;
  }
}
