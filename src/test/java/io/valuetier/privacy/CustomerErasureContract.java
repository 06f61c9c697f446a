package io.valuetier.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.act.DecisionActions;
import io.valuetier.act.PublishService;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on request against a store filled by the real routes and engine (ingest of transactions, facts and outcomes,
 * scoring rows, a batch decision run, publishing to files and to the actions table): afterwards no text column of any
 * table holds the customer's id, the published files that do are listed, and later ingests of their rows are refused
 * as ERASED and counted. Run on H2 and on MariaDB by the subclasses.
 */
abstract class CustomerErasureContract {
  static final String GONE = "CUST-4711";
  static final List<String> OTHERS = List.of("CUST-47110", "CUST-1", "CUST-2", "CUST-3");

  @TempDir Path work;

  abstract String dbUrl();

  Settings settings(Map<String, String> more) {
    Map<String, String> m = new HashMap<>(more);
    m.put("valuetier.publish.folder", work.resolve("out/actions").toString());
    return TestStores.settings(dbUrl(), work, m);
  }

  private Path write(String name, List<String> lines) throws Exception {
    Path f = work.resolve(name);
    Files.write(f, lines);
    return f;
  }

  private static String orderLine(String order, String customer, String date, String qty) {
    return order + "," + customer + "," + date + ",SKU-" + order + ",Mug for " + customer + "," + qty + ",4.50,EUR,Germany";
  }

  private static final String TX_HEADER =
      "order_id,customer_id,order_date,product_id,description,quantity,unit_price,currency,country";

  /** Every store table filled with the customer's data through the components that fill it in production. */
  private void fillEveryTable(Store store, Settings s) throws Exception {
    List<String> tx = new ArrayList<>(List.of(TX_HEADER));
    int order = 100;
    for (String c : concat(GONE, OTHERS)) {
      tx.add(orderLine("O" + order++, c, "2026-03-01 10:00:00", "2"));
      tx.add(orderLine("O" + order++, c, "2026-04-11 12:30:00", "1"));
    }
    tx.add(orderLine("O" + order++, GONE, "2026-05-01 09:00:00", "three")); // rejected: its text names the customer
    List<String> facts = new ArrayList<>(List.of(
        "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag"));
    for (String c : concat(GONE, OTHERS)) {
      facts.add(c + ",retail,Germany,yes,yes,2024-01-01,0,no");
    }
    try (IngestService ingest = new IngestService(s, store)) {
      IngestReport r = ingest.ingestTransactions(write("tx.csv", tx), TransactionFormat.CANONICAL);
      assertEquals(1, r.rejected(), r::toString);
      ingest.ingestCustomers(write("facts.csv", facts));
    }
    Timestamp now = Timestamp.from(Instant.now());
    for (String c : concat(GONE, OTHERS)) {
      store.execute("INSERT INTO scores (customer_id, model_id, model_version, scored_at, cutoff_date, horizon_days,"
          + " predicted_spend, probability_active, value_percentile, cold_start, tenure_days, returns_ratio, reason_1)"
          + " VALUES (?, 'gbm', '1', ?, ?, 365, 2500.00, 0.9, 97, FALSE, 800, 0.0, 'spends often')",
          c, now, java.sql.Date.valueOf(LocalDate.of(2026, 6, 1)));
      store.execute("INSERT INTO score_history (run_id, customer_id, model_id, cutoff_date, horizon_days,"
          + " predicted_spend, probability_active) VALUES ('s-1', ?, 'gbm', ?, 365, 2500, 0.9)",
          c, java.sql.Date.valueOf(LocalDate.of(2026, 6, 1)));
    }
    BatchDecider.Report decided = new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params()),
        new DecisionLog(store, 50), new BatchDecider.Options(1, 50, true, Duration.ofDays(90))).run();
    assertEquals(5, decided.decisions());
    for (String to : List.of("direct:write-action-files", "direct:write-action-table")) {
      Settings p = settings(Map.of("valuetier.publish.to", to));
      try (PublishService publish = new PublishService(p, store)) {
        assertNull(publish.publish("run-" + decided.runId(), new DecisionActions(store, decided.runId())).failure());
      }
    }
    long decisionOfGone = store.queryLong("SELECT decision_id FROM decisions WHERE customer_id = ?", GONE);
    try (IngestService ingest = new IngestService(s, store)) {
      IngestReport r = ingest.ingestOutcomes(write("outcomes.csv", List.of(
          "decision_id,customer_id,responded,purchased,revenue,window_days,observed_at",
          decisionOfGone + "," + GONE + ",yes,true,30.00,30,2026-07-01")));
      assertEquals(1, r.accepted(), r::toString);
    }
    for (String table : List.of("transactions", "customers", "scores", "score_history", "decision_rows", "contact_log",
        "marketing_actions", "outcomes", "rejected_records")) {
      assertTrue(rowsHolding(store, GONE).containsKey(table), () -> table + " holds the customer before the erasure");
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> l = new ArrayList<>(List.of(first));
    l.addAll(rest);
    return l;
  }

  /**
   * Rows per table whose text columns hold {@code id} as a whole word (so that CUST-47110 is not a hit for
   * CUST-4711): every table, every character column, as the database lists them.
   */
  static Map<String, Long> rowsHolding(Store store, String id) throws Exception {
    Map<String, Long> found = new HashMap<>();
    try (Connection c = store.connection()) {
      DatabaseMetaData md = c.getMetaData();
      Map<String, List<String>> columns = new HashMap<>();
      try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
        while (rs.next()) {
          int type = rs.getInt("DATA_TYPE");
          if (Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NCHAR, Types.NVARCHAR,
              Types.LONGNVARCHAR, Types.NCLOB).contains(type)) {
            columns.computeIfAbsent(rs.getString("TABLE_NAME"), k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
          }
        }
      }
      Set<String> tables = new java.util.HashSet<>();
      try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.size() >= 19, () -> "every table of the schema is listed: " + tables);
      java.util.regex.Pattern word =
          java.util.regex.Pattern.compile("(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(id) + "(?![A-Za-z0-9])");
      for (String table : tables) {
        List<String> cols = columns.getOrDefault(table, List.of());
        if (cols.isEmpty()) {
          continue;
        }
        String where = String.join(" OR ", cols.stream().map(col -> col + " LIKE ?").toList());
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT " + String.join(", ", cols) + " FROM " + table + " WHERE " + where)) {
          for (int i = 0; i < cols.size(); i++) {
            ps.setString(i + 1, "%" + id + "%");
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              for (int i = 1; i <= cols.size(); i++) {
                String v = rs.getString(i);
                if (v != null && word.matcher(v).find()) {
                  found.merge(table.toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
                  break;
                }
              }
            }
          }
        }
      }
    }
    return found;
  }

  @Test
  void afterForgetNoRowOfAnyTableHoldsTheCustomerIdAndThePublishedFilesAreListed() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s)) {
      fillEveryTable(store, s);
      long othersBefore = store.queryLong("SELECT COUNT(*) FROM transactions WHERE customer_id <> ?", GONE);

      CustomerErasure.Erasure e = CustomerErasure.of(s, store).forget(List.of(GONE));

      assertEquals(Map.of(), rowsHolding(store, GONE), "no row holds the id after the erasure");
      assertEquals(1, e.newlyMarked());
      assertEquals(2, e.rowsDeleted().get("transactions"));
      assertEquals(1, e.rowsDeleted().get("rejected_records"));
      assertEquals(othersBefore, store.queryLong("SELECT COUNT(*) FROM transactions"), "the others' rows are kept");
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM customers WHERE customer_id = 'CUST-47110'"),
          "a customer whose id merely starts with the erased one is kept");
      assertFalse(e.filesStillHoldingThem().isEmpty(), "the published files that hold the customer are listed");
      for (Path f : e.filesStillHoldingThem()) {
        assertTrue(java.util.regex.Pattern.compile("(?<![A-Za-z0-9])" + GONE + "(?![A-Za-z0-9])")
            .matcher(Files.readString(f)).find(), f::toString);
      }
      assertTrue(e.filesStillHoldingThem().stream().anyMatch(f -> f.getFileName().toString().equals("actions.jsonl")));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM erased_customers WHERE id_hash LIKE ?", "%" + GONE + "%"));

      CustomerErasure.Erasure again = CustomerErasure.of(s, store).forget(List.of(GONE));
      assertEquals(0, again.newlyMarked());
      assertEquals(0, again.totalRows(), "forgetting twice deletes nothing more");
    }
  }

  @Test
  void aLaterIngestOfTheirRowsIsRejectedAsErasedAndCounted() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s)) {
      fillEveryTable(store, s);
      long decisionOfGone = store.queryLong("SELECT decision_id FROM decisions WHERE customer_id = ?", GONE);
      CustomerErasure.of(s, store).forget(List.of(GONE));

      try (IngestService ingest = new IngestService(s, store)) {
        IngestReport tx = ingest.ingestTransactions(write("tx2.csv", List.of(TX_HEADER,
            orderLine("N1", GONE, "2026-06-01 10:00:00", "1"),
            orderLine("N2", "CUST-1", "2026-06-01 10:00:00", "1"),
            orderLine("N3", GONE, "2026-06-02 10:00:00", "4"))), TransactionFormat.CANONICAL);
        assertEquals(3, tx.read());
        assertEquals(1, tx.accepted());
        assertEquals(Map.of("ERASED", 2L), tx.rejectedByReason());
        assertEquals(tx.read(), tx.accepted() + tx.rejected());

        IngestReport facts = ingest.ingestCustomers(write("facts2.csv", List.of(
            "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag",
            GONE + ",retail,Germany,yes,no,2024-01-01,0,no",
            "CUST-2,retail,Germany,no,no,2024-01-01,0,no")));
        assertEquals(Map.of("ERASED", 1L), facts.rejectedByReason());
        assertEquals(facts.read(), facts.accepted() + facts.rejected());

        IngestReport outcomes = ingest.ingestOutcomes(write("outcomes2.csv", List.of(
            "decision_id,customer_id,responded,purchased,revenue,window_days,observed_at",
            decisionOfGone + "," + GONE + ",yes,true,30.00,30,2026-07-02")));
        assertEquals(Map.of("ERASED", 1L), outcomes.rejectedByReason());
        assertEquals(outcomes.read(), outcomes.accepted() + outcomes.rejected());
      }
      assertEquals(4, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE reason_code = 'ERASED'"));
      assertEquals(Map.of(), rowsHolding(store, GONE), "the refused rows are not kept either");
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM customers WHERE customer_id = ?", GONE),
          "the customer is not added back as seen in transactions");
    }
  }

  @Test
  void theRetentionDeletesTransactionsOlderThanItsDaysAndZeroKeepsThemAll() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s)) {
      LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
      try (IngestService ingest = new IngestService(s, store)) {
        ingest.ingestTransactions(write("aged.csv", List.of(TX_HEADER,
            orderLine("A1", "CUST-1", today.minusDays(400) + " 10:00:00", "1"),
            orderLine("A2", "CUST-1", today.minusDays(200) + " 10:00:00", "1"),
            orderLine("A3", "CUST-2", today.minusDays(10) + " 10:00:00", "1"))), TransactionFormat.CANONICAL);
      }
      CustomerErasure erasure = CustomerErasure.of(s, store);
      assertEquals(0, erasure.purgeTransactionsOlderThan(0).transactionsDeleted());
      assertEquals(3, store.queryLong("SELECT COUNT(*) FROM transactions"));
      assertEquals(1, erasure.purgeTransactionsOlderThan(365).transactionsDeleted());
      assertEquals(1, erasure.purgeTransactionsOlderThan(30).transactionsDeleted());
      assertEquals("A3", store.queryString("SELECT order_id FROM transactions"));
    }
  }
}
