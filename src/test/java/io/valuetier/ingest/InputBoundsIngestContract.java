package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile numbers and lines on every file path (transactions in two layouts, customer facts, outcomes) through the
 * real routes into a real store: each is rejected fast with a short message, the stored rejection is bounded, and the
 * rest of the file is ingested. Run on H2 and on MariaDB by the subclasses.
 */
abstract class InputBoundsIngestContract {
  private static final String DIGITS_40 = "1234567890".repeat(4);

  @TempDir Path work;
  Store store;
  IngestService ingest;

  abstract String dbUrl();

  void dropDatabase() {}

  @BeforeEach
  void open() {
    Settings s = TestStores.settings(dbUrl(), work, Map.of());
    store = Stores.open(s);
    ingest = new IngestService(s, store);
  }

  @AfterEach
  void close() {
    ingest.close();
    store.close();
    dropDatabase();
  }

  private Path file(String name, String text) throws IOException {
    Path p = work.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Line to reason code, and checks that every stored rejection is small. */
  private Map<Long, String> rejections() throws SQLException {
    Map<Long, String> m = new TreeMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT line_no, reason_code, message, bad_value, original_text FROM rejected_records");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        m.put(rs.getLong(1), rs.getString(2));
        assertTrue(rs.getString(3).length() <= 200, "message: " + rs.getString(3));
        assertTrue(rs.getString(4) == null || rs.getString(4).length() <= 300, "value: " + rs.getString(4));
        assertTrue(rs.getString(5).length() <= 4200, "original text of line " + rs.getLong(1));
      }
    }
    return m;
  }

  private static void assertAccounted(IngestReport r) {
    assertEquals("COMPLETED", r.status(), r.failure());
    assertEquals(r.read(), r.accepted() + r.rejected());
  }

  @Test
  void hugeExponentsAndTooManyDigitsInACanonicalFileAreRejectedAsBadNumbers() throws Exception {
    Path f = file("canonical.csv", """
        order_id,customer_id,order_date,quantity,unit_price
        1,c1,2011-01-01 10:00:00,2,3.50
        2,c1,2011-01-01 10:00:00,1e999999999,3.50
        3,c1,2011-01-01 10:00:00,1,9E+2147483647
        4,c1,2011-01-01 10:00:00,%s,1
        5,c1,2011-01-01 10:00:00,NaN,1
        6,c1,2011-01-01 10:00:00,1,-1e-999999999
        """.formatted(DIGITS_40));
    long t0 = System.nanoTime();
    IngestReport r = ingest.ingestTransactions(f, TransactionFormat.CANONICAL);
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "fast");
    assertAccounted(r);
    assertEquals(1, r.accepted());
    assertEquals(
        Map.of(3L, "BAD_QUANTITY", 4L, "BAD_PRICE", 5L, "BAD_QUANTITY", 6L, "BAD_QUANTITY", 7L, "BAD_PRICE"),
        rejections());
  }

  @Test
  void hugeExponentsInAnOnlineRetailFileAreRejectedAsBadNumbers() throws Exception {
    Path f = file("retail.csv", """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
        536366,85123A,HEART,1e999999999,2010-12-01 08:26:00,2.55,17850,United Kingdom
        536367,85123A,HEART,6,2010-12-01 08:26:00,9E+2147483647,17850,United Kingdom
        536368,85123A,HEART,6,2010-12-01 08:26:00,%s,17850,United Kingdom
        """.formatted(DIGITS_40));
    IngestReport r = ingest.ingestTransactions(f, TransactionFormat.ONLINE_RETAIL);
    assertAccounted(r);
    assertEquals(1, r.accepted());
    assertEquals(Map.of(3L, "BAD_QUANTITY", 4L, "BAD_PRICE", 5L, "BAD_PRICE"), rejections());
  }

  @Test
  void hugeNumbersAndOverlongIdsInCustomerFactsAreRejected() throws Exception {
    Path f = file("facts.csv", """
        customer_id,open_complaints,signup_date
        c1,0,2010-01-01
        c2,1e999999999,2010-01-01
        c3,%s,2010-01-01
        %s,0,2010-01-01
        c5,0,%s
        """.formatted(DIGITS_40, "x".repeat(5000), "2".repeat(100_000)));
    IngestReport r = ingest.ingestCustomers(f);
    assertAccounted(r);
    assertEquals(1, r.accepted());
    assertEquals(
        Map.of(3L, "BAD_NUMBER", 4L, "BAD_NUMBER", 5L, "FIELD_TOO_LONG", 6L, "BAD_DATE"), rejections());
  }

  @Test
  void hugeRevenuesInAnOutcomesFileAreRejectedBeforeTheStoreIsAsked() throws Exception {
    Path f = file("outcomes.csv", """
        decision_id,responded,revenue
        1,yes,1e999999999
        2,yes,9E+2147483647
        3,no,%s
        4,no,NaN
        """.formatted(DIGITS_40));
    IngestReport r = ingest.ingestOutcomes(f);
    assertAccounted(r);
    assertEquals(0, r.accepted());
    assertEquals(Map.of(2L, "BAD_NUMBER", 3L, "BAD_NUMBER", 4L, "BAD_NUMBER", 5L, "BAD_NUMBER"), rejections());
  }

  @Test
  void aSingleLineOf24MegabytesIsRejectedAsTooLongAndTheLinesAfterItAreIngested() throws Exception {
    Path f = work.resolve("huge-line.csv");
    try (OutputStream out = Files.newOutputStream(f)) {
      out.write("order_id,customer_id,order_date,quantity,unit_price\n1,c1,2011-01-01 10:00:00,2,3.50\n2,c1,"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] block = new byte[1 << 20];
      java.util.Arrays.fill(block, (byte) '7');
      for (int i = 0; i < 24; i++) {
        out.write(block);
      }
      out.write("\n3,c2,2011-01-02 10:00:00,1,1.00\n".getBytes(StandardCharsets.US_ASCII));
    }
    IngestReport r = ingest.ingestTransactions(f, TransactionFormat.CANONICAL);
    assertAccounted(r);
    assertEquals(3, r.read());
    assertEquals(2, r.accepted());
    assertEquals(Map.of(3L, "RECORD_TOO_LONG"), rejections());
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT message, original_text FROM rejected_records");
        ResultSet rs = ps.executeQuery()) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).contains((24L << 20) + 5 + " bytes"), rs.getString(1));
      assertTrue(rs.getString(2).startsWith("2,c1,777"), "keeps the start of the line");
      assertTrue(rs.getString(2).endsWith("… [truncated, " + ((24L << 20) + 5) + " bytes]"), "says it was cut");
    }
  }
}
