package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest routes on real files against a real store; run once on H2 and once on MariaDB by the subclasses, so that
 * both stores are held to the same behaviour.
 */
abstract class IngestRouteContract {
  static final Path MALFORMED = TestStores.home().resolve("src/test/resources/ingest/malformed-online-retail.csv");
  static final Path FACTS = TestStores.home().resolve("src/test/resources/ingest/customers-malformed.csv");

  @TempDir Path work;
  Store store;
  IngestService ingest;

  /** The database URL this run of the contract uses. */
  abstract String dbUrl();

  void afterAll() {}

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
    afterAll();
  }

  Map<Long, String> rejectedReasons() throws SQLException {
    Map<Long, String> m = new TreeMap<>();
    try (Connection c = store.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT line_no, reason_code FROM rejected_records")) {
      while (rs.next()) {
        m.put(rs.getLong(1), rs.getString(2));
      }
    }
    return m;
  }

  @Test
  void eachMalformedRowIsRejectedWithItsLineAndReasonAndTheGoodRowsAreStored() throws SQLException {
    IngestReport r = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);

    assertEquals("COMPLETED", r.status());
    assertEquals(16, r.read());
    assertEquals(r.read(), r.accepted() + r.rejected());
    assertEquals(6, r.accepted());
    Map<Long, String> expected = new LinkedHashMap<>();
    expected.put(3L, "BAD_QUOTING");
    expected.put(5L, "WRONG_COLUMN_COUNT");
    expected.put(6L, "BAD_QUANTITY");
    expected.put(7L, "EMPTY_LINE");
    expected.put(8L, "BAD_ENCODING");
    expected.put(10L, "MISSING_CUSTOMER_ID");
    expected.put(11L, "ZERO_PRICE");
    expected.put(12L, "FUTURE_DATE");
    expected.put(13L, "DUPLICATE");
    expected.put(15L, "BAD_PRICE");
    assertEquals(new TreeMap<>(expected), rejectedReasons());
    assertEquals(1, r.returns());
    assertEquals(6, store.queryLong("SELECT COUNT(*) FROM transactions"));
    assertEquals(
        1,
        store.queryLong(
            "SELECT COUNT(*) FROM transactions WHERE description = ?", "RETROSPOT TEA SET\nCERAMIC 11 PC"));
    assertEquals(
        1, store.queryLong("SELECT COUNT(*) FROM transactions WHERE description = ?", "JAM MAKING SET, WITH JARS"));
  }

  @Test
  void aRejectedRowKeepsItsOriginalTextAndAMessageThatNamesTheProblem() throws SQLException {
    ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    try (Connection c = store.connection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, bad_value, message, original_text FROM rejected_records WHERE line_no = 6")) {
      assertTrue(rs.next());
      assertEquals("quantity", rs.getString(1));
      assertEquals("six", rs.getString(2));
      assertTrue(rs.getString(3).contains("'six' is not a number"), rs.getString(3));
      assertTrue(rs.getString(4).startsWith("536367,22748,POPPY'S PLAYHOUSE KITCHEN,six"), rs.getString(4));
    }
  }

  @Test
  void ingestingTheSameFileTwiceLeavesEveryStoreTotalUnchanged() {
    IngestReport first = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    IngestReport second = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    assertEquals(first.store(), second.store());
    assertEquals(first.accepted(), second.accepted());
    assertEquals(first.rejectedByReason(), second.rejectedByReason());
    assertEquals(2, store.queryLong("SELECT COUNT(*) FROM ingest_runs WHERE status = 'COMPLETED'"));
  }

  @Test
  void customerFactsAreStoredAndTheirBadRowsRejectedWithReasons() throws SQLException {
    IngestReport r = ingest.ingestCustomers(FACTS);
    assertEquals(8, r.read());
    assertEquals(2, r.accepted());
    Map<Long, String> expected = new TreeMap<>();
    expected.put(3L, "BAD_FLAG");
    expected.put(4L, "BAD_DATE");
    expected.put(5L, "BAD_NUMBER");
    expected.put(6L, "DUPLICATE");
    expected.put(7L, "MISSING_CUSTOMER_ID");
    expected.put(8L, "WRONG_COLUMN_COUNT");
    assertEquals(expected, rejectedReasons());
    assertEquals(1, store.queryLong(
        "SELECT COUNT(*) FROM customers WHERE customer_id = '15311' AND segment = 'vip' AND marketing_consent"
            + " AND loyalty_member AND open_complaints = 1 AND NOT fraud_flag"));
  }

  @Test
  void factsIngestedAfterTransactionsCompleteTheCustomersSeenInTransactions() {
    ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    long customersFromTransactions = store.queryLong("SELECT COUNT(*) FROM customers");
    ingest.ingestCustomers(FACTS);
    assertEquals(5, customersFromTransactions);
    assertEquals(1, store.queryLong(
        "SELECT COUNT(*) FROM customers WHERE customer_id = '17850' AND segment = 'retail' AND marketing_consent"));
    assertEquals(5, store.queryLong("SELECT COUNT(*) FROM customers"));
  }

  @Test
  void aFileWithTheWrongLayoutIsRefusedWithAMessageThatNamesTheExpectedHeader() {
    IngestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IngestException.class, () -> ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL_II));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("Is --format right?"), e.getMessage());
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM transactions"));
  }

  @Test
  void aFileAlreadyIngestedIsSkippedWithItsEarlierAccountingAndAChangedFileIsIngested() throws Exception {
    IngestReport first = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    IngestReport skipped = ingest.ingestTransactionsIfChanged(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    assertEquals("UNCHANGED", skipped.status());
    assertEquals(first.runId(), skipped.runId());
    assertEquals(first.rejectedByReason(), skipped.rejectedByReason());
    assertEquals(first.store(), skipped.store());
    assertEquals(1, store.queryLong("SELECT COUNT(*) FROM ingest_runs"));

    Path changed = work.resolve("changed.csv");
    java.nio.file.Files.write(changed, java.nio.file.Files.readAllBytes(MALFORMED));
    java.nio.file.Files.writeString(changed,
        "\r\n536999,10002,INFLATABLE POLITICAL GLOBE,1,2010-12-02 09:45:00,0.85,16098,United Kingdom",
        java.nio.file.StandardOpenOption.APPEND);
    IngestReport second = ingest.ingestTransactionsIfChanged(changed, TransactionFormat.ONLINE_RETAIL);
    assertEquals("COMPLETED", second.status());
    assertEquals(first.store().transactions() + 1, second.store().transactions());
  }

  @Test
  void theIngestRunIsLoggedWithItsAccounting() {
    IngestReport r = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    assertEquals(1, store.queryLong(
        "SELECT COUNT(*) FROM ingest_runs WHERE run_id = ? AND rows_read = 16 AND rows_accepted = 6"
            + " AND rows_rejected = 10 AND status = 'COMPLETED'", r.runId()));
  }

  @Test
  void aClosedRunLetsGoOfTheCleanersStateAndItsCustomersButKeepsItsAccounting() {
    IngestReport r = ingest.ingestTransactions(MALFORMED, TransactionFormat.ONLINE_RETAIL);
    IngestRun last = ingest.current();
    assertEquals(r.runId(), last.runId());
    // the service keeps its last run for status; what only the running ingest needed (at 10M lines, a key set of
    // half a gigabyte) must not stay on the heap through the later stages of the main job
    assertNull(last.attached("lines", TransactionLines.class), "the cleaner of a closed run is still held");
    assertTrue(last.customers.isEmpty(), "the customers of a closed run are still held: " + last.customers.size());
    assertTrue(r.customers() > 0, "the malformed file names customers");
    assertEquals(r.customers(), last.report("COMPLETED", null).customers());
  }

  static IngestReport.Totals totals(Store s) {
    return new IngestStore(s).runs().totals();
  }
}
