package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.Transaction;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storing a slice of ingest costs in proportion to the slice, never to the table: with 10 and with 100 slices
 * already stored, the duplicate check of lines in random key order (a file sorted by customer, not by time) examines
 * about the lines it looks up on H2 (its {@code EXPLAIN ANALYZE} scan count), and storing a slice reads about the
 * slice's rows on MariaDB (the session's handler reads); a check whose scan grows with the table fails here. The rows
 * are appended in arrival order whatever their keys: clustered on the random content key, as before V91, every line
 * rewrote a page of whole rows somewhere in the table (bytes written are not asserted: H2 writes them in the
 * background, at times of its own).
 */
class TransactionIngestCostTest {
  private static final int SLICE = 2_000;
  private static final LocalDateTime START = LocalDateTime.of(2010, 12, 1, 0, 0);
  private static final int MINUTES = 374 * 1440;

  @TempDir Path work;

  @Test
  void onH2TheDuplicateCheckOfASliceInRandomKeyOrderExaminesAboutTheSliceWhetherTheTableHoldsTenOrAHundredSlices()
      throws Exception {
    try (Store store = Store.open(TestStores.h2Url(work), "sa", "", 4)) {
      TransactionStore tx = new TransactionStore(store);
      Lines lines = new Lines(1);
      fill(tx, lines, 10);
      long small = h2LookupRowsExamined(store, lines);
      fill(tx, lines, 100);
      long large = h2LookupRowsExamined(store, lines);
      String figures = "rows examined to look up " + TransactionStore.LOOKUP_GROUP + " keys with 10 slices stored: "
          + small + ", with 100: " + large;
      assertTrue(small <= 2L * TransactionStore.LOOKUP_GROUP, figures);
      assertTrue(large <= 2L * TransactionStore.LOOKUP_GROUP, figures);
      assertEquals(100L * SLICE, store.queryLong("SELECT COUNT(*) FROM transactions"));
    }
  }

  @Test
  void onH2ASliceIsAppendedInArrivalOrderWhateverItsKeys() throws Exception {
    try (Store store = Store.open(TestStores.h2Url(work), "sa", "", 4)) {
      TransactionStore tx = new TransactionStore(store);
      Lines lines = new Lines(4);
      fill(tx, lines, 3);
      long before = store.queryLong("SELECT MAX(row_id) FROM transactions");
      List<Transaction> slice = lines.next();
      tx.writeTransactions(slice, 1);
      // the primary key grows with the file's lines: the slice's rows follow every earlier row, in line order
      assertEquals(before + 1, store.queryLong("SELECT MIN(row_id) FROM transactions WHERE line_no > ?",
          slice.getFirst().line() - 1));
      assertEquals(slice.getLast().line(), store.queryLong(
          "SELECT line_no FROM transactions WHERE row_id = (SELECT MAX(row_id) FROM transactions)"));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM transactions a JOIN transactions b"
          + " ON a.row_id + 1 = b.row_id AND a.line_no > b.line_no"));
    }
  }

  @Test
  void onMariaDbStoringASliceInRandomKeyOrderReadsAboutTheSliceWhetherTheTableHoldsTenOrAHundredSlices()
      throws Exception {
    String url = TestStores.createMysqlDatabase("vt_ingestcost");
    try (Store store = TestStores.openMysql(url)) {
      TransactionStore tx = new TransactionStore(store);
      Lines lines = new Lines(2);
      fill(tx, lines, 10);
      long small = mariaDbRowsReadForASlice(store, tx, lines);
      fill(tx, lines, 100);
      long large = mariaDbRowsReadForASlice(store, tx, lines);
      String figures = "rows read to store a slice of " + SLICE + " with 10 slices stored: " + small
          + ", with 100: " + large;
      assertTrue(small <= 2L * SLICE, figures);
      assertTrue(large <= 2L * SLICE, figures);
      assertEquals(101L * SLICE, store.queryLong("SELECT COUNT(*) FROM transactions"));
    } finally {
      TestStores.dropMysql(url);
    }
  }

  @Test
  void aSliceStoredAgainAddsNothingAndALineWhoseKeyIsTakenByAnotherLineIsKeptUnderTheNextKey() throws Exception {
    try (Store store = Store.open(TestStores.h2Url(work), "sa", "", 4)) {
      TransactionStore tx = new TransactionStore(store);
      Lines lines = new Lines(3);
      List<Transaction> slice = lines.next();
      tx.writeTransactions(slice, 1);
      tx.writeTransactions(slice, 2);
      assertEquals(SLICE, store.queryLong("SELECT COUNT(*) FROM transactions"));
      Transaction t = slice.getFirst();
      Transaction other = new Transaction(t.rowKey(), t.rowCheck() + 1, "other", "X1", t.timestamp(), "P", "d",
          BigDecimal.ONE, BigDecimal.TEN, BigDecimal.TEN, "GBP", "UK", false, false, 99_999);
      tx.writeTransactions(List.of(other), 3);
      assertEquals(SLICE + 1, store.queryLong("SELECT COUNT(*) FROM transactions"));
      assertEquals(t.rowKey() + 1,
          store.queryLong("SELECT row_key FROM transactions WHERE customer_id = ?", "other"));
    }
  }

  /** Stores slices until the table holds {@code slices} of them. */
  private static void fill(TransactionStore tx, Lines lines, int slices) {
    while (lines.slices < slices) {
      tx.writeTransactions(lines.next(), 1);
    }
  }

  /**
   * Rows H2 examines to find which of a group of keys in random order are stored: half of them are (from the last
   * slice stored), half are not (from the next one).
   */
  private static long h2LookupRowsExamined(Store store, Lines lines) throws SQLException {
    int n = TransactionStore.LOOKUP_GROUP;
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + TransactionStore.lookupSql(n))) {
      for (int i = 0; i < n; i++) {
        ps.setLong(i + 1, (i % 2 == 0 ? lines.last : lines.peek()).get(i).rowKey());
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(plan);
      assertTrue(m.find(), "no scan count in the plan: " + plan);
      assertTrue(plan.toString().toLowerCase().contains("uq_transactions_row_key"), plan.toString());
      long examined = Long.parseLong(m.group(1));
      assertTrue(examined >= n / 2, "the stored half of the keys must be found: " + plan);
      return examined;
    }
  }

  /** Rows MariaDB read (handler reads of the session) while a slice was stored. */
  private static long mariaDbRowsReadForASlice(Store store, TransactionStore tx, Lines lines) throws SQLException {
    List<Transaction> slice = lines.next();
    try (Connection c = store.bulkConnection()) {
      long before = handlerReads(c);
      tx.writeTransactions(slice, 1, c);
      return handlerReads(c) - before;
    }
  }

  private static long handlerReads(Connection c) throws SQLException {
    long n = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
      while (rs.next()) {
        n += rs.getLong(2);
      }
    }
    return n;
  }

  /** Order lines as a file sorted by customer gives them: each slice's keys spread over a year. */
  private static final class Lines {
    private final SplittableRandom random;
    private int slices;
    private long line;
    private List<Transaction> pending;
    private List<Transaction> last;

    Lines(long seed) {
      this.random = new SplittableRandom(seed);
    }

    List<Transaction> peek() {
      if (pending == null) {
        pending = make();
      }
      return pending;
    }

    List<Transaction> next() {
      List<Transaction> s = peek();
      pending = null;
      last = s;
      slices++;
      return s;
    }

    private List<Transaction> make() {
      List<Transaction> out = new ArrayList<>(SLICE);
      for (int i = 0; i < SLICE; i++) {
        LocalDateTime ts = START.plusMinutes(random.nextInt(MINUTES));
        long minutes = ts.toEpochSecond(ZoneOffset.UTC) / 60;
        long key = (minutes << 37) | (random.nextLong() & ((1L << 37) - 1));
        String customer = Integer.toString(12_346 + (int) (line / 12));
        BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(12));
        BigDecimal price = new BigDecimal("2.95");
        out.add(new Transaction(key, random.nextLong(), customer, Long.toString(536_365 + line / 3), ts,
            "P" + random.nextInt(2000), "PRODUCT " + random.nextInt(2000), quantity, price,
            quantity.multiply(price), "GBP", "United Kingdom", false, false, ++line));
      }
      return out;
    }
  }
}
