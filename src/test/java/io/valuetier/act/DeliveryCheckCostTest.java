package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery check of a publish batch costs in proportion to the batch, never to the delivery log: the rows the
 * database examines for a batch of N are counted (H2 {@code EXPLAIN ANALYZE}, MariaDB {@code ANALYZE}) with 10 N and
 * with 100 N deliveries in the table, and must stay about N. A plan that reads the destination's whole log, as the
 * primary key alone gave on H2, examines 10 N and 100 N rows and fails here.
 */
class DeliveryCheckCostTest {
  private static final String DESTINATION = "direct:write-action-files";
  private static final int N = ActionPublisher.CHECK_GROUP;
  private static final long RUN = 7;

  @TempDir Path work;

  @Test
  void onH2TheDeliveryCheckOfABatchExaminesAboutTheBatchWhetherTheLogHoldsTenOrAHundredTimesIt() throws Exception {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    try (Store store = Stores.open(s)) {
      long small = h2RowsExamined(store, 10 * N);
      long large = h2RowsExamined(store, 100 * N);
      assertTrue(small <= 2L * N, "rows examined with " + 10 * N + " deliveries: " + small);
      assertTrue(large <= 2L * N, "rows examined with " + 100 * N + " deliveries: " + large);
    }
  }

  @Test
  void onMariaDbTheDeliveryCheckOfABatchExaminesAboutTheBatchWhetherTheLogHoldsTenOrAHundredTimesIt()
      throws Exception {
    String url = TestStores.createMysqlDatabase("vt_cost");
    try {
      Settings s = TestStores.settings(url, work, Map.of());
      try (Store store = Stores.open(s)) {
        long small = mariaDbRowsExamined(store, 10 * N);
        long large = mariaDbRowsExamined(store, 100 * N);
        assertTrue(small <= 2L * N, "rows examined with " + 10 * N + " deliveries: " + small);
        assertTrue(large <= 2L * N, "rows examined with " + 100 * N + " deliveries: " + large);
      }
    } finally {
      TestStores.dropMysql(url);
    }
  }

  @Test
  void onH2TheDeliveryCheckIsAnsweredThroughThePrimaryKeyKeyedByDecisionId() throws Exception {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    try (Store store = Stores.open(s)) {
      fill(store, 10 * N);
      String plan = h2Plan(store, "EXPLAIN ");
      assertTrue(plan.toLowerCase().contains("primary_key"), plan);
      assertTrue(plan.toLowerCase().contains("decision_id in("), plan);
    }
  }

  @Test
  void onH2APageOfARunsActionsExaminesThePageNotTheEarlierRuns() throws Exception {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    try (Store store = Stores.open(s)) {
      store.execute("INSERT INTO decision_outcomes (outcome_id, rule_set, rule_set_role) VALUES (1, 'rs', 'champion')");
      try (Connection c = store.connection();
          PreparedStatement ps = c.prepareStatement(
              "INSERT INTO decision_rows (decision_id, run_id, customer_id, decided_at, outcome_id, control_group)"
                  + " VALUES (?, ?, ?, ?, 1, FALSE)")) {
        for (long run = 1; run <= 3; run++) {
          for (int i = 0; i < 4000; i++) {
            ps.setLong(1, io.valuetier.decide.trace.DecisionLog.firstDecisionId(run) + i);
            ps.setLong(2, run);
            ps.setString(3, "c" + i);
            ps.setTimestamp(4, Timestamp.from(Instant.parse("2026-12-01T00:00:00Z")));
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      long examined;
      try (Connection c = store.connection();
          PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + DecisionActions.SQL + " LIMIT 100")) {
        ps.setLong(1, io.valuetier.decide.trace.DecisionLog.firstDecisionId(3) - 1);
        ps.setLong(2, io.valuetier.decide.trace.DecisionLog.firstDecisionId(4));
        ps.setLong(3, 3);
        examined = scanCount(plan(ps));
      }
      assertTrue(examined <= 101, "rows examined for a page of 100 of the third run: " + examined);
      int read = 0;
      for (var it = new DecisionActions(store, 3); it.hasNext(); it.next()) {
        read++;
      }
      assertEquals(4000, read, "the run's actions, all of them and only them");
    }
  }

  @Test
  void onH2MarkingABatchsContactsDeliveredExaminesTheBatchNotTheRunsOtherUndeliveredContacts() throws Exception {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    try (Store store = Stores.open(s)) {
      int rows = 100 * N;
      long first = io.valuetier.decide.trace.DecisionLog.firstDecisionId(RUN);
      Timestamp at = Timestamp.from(Instant.parse("2026-12-01T00:00:00Z"));
      try (Connection c = store.connection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO contact_log (decision_id, customer_id, action_code, channel, contacted_at) VALUES (?,?,?,?,?)")) {
          for (int i = 0; i < rows; i++) {
            ps.setLong(1, first + i);
            ps.setString(2, "c" + i);
            ps.setString(3, "VOUCHER_10");
            ps.setString(4, "email");
            ps.setTimestamp(5, at);
            ps.addBatch();
            if (i % 5000 == 4999) {
              ps.executeBatch();
            }
          }
          ps.executeBatch();
        }
        c.commit();
      }
      long examined;
      try (Connection c = store.connection();
          PreparedStatement ps = c.prepareStatement(
              "EXPLAIN ANALYZE " + io.valuetier.decide.trace.DecisionLog.markDeliveredSql(N))) {
        ps.setTimestamp(1, at);
        for (int i = 0; i < N; i++) {
          ps.setLong(i + 2, first + rows / 2 + i);
        }
        examined = scanCount(plan(ps));
      }
      assertTrue(examined <= 2L * N, "rows examined to mark " + N + " of " + rows + " undelivered contacts: " + examined);
    }
  }

  /** Fills the log up to {@code rows} deliveries of run RUN at the destination (ids 0..rows-1 of the run). */
  private static void fill(Store store, int rows) throws SQLException {
    long have = store.queryLong("SELECT COUNT(*) FROM action_deliveries");
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO action_deliveries (destination, decision_id, run_id, delivered_at) VALUES (?, ?, ?, ?)")) {
        Timestamp at = Timestamp.from(Instant.parse("2026-12-01T00:00:00Z"));
        for (long i = have; i < rows; i++) {
          ps.setString(1, DESTINATION);
          ps.setString(2, id(i));
          ps.setString(3, "run-" + RUN);
          ps.setTimestamp(4, at);
          ps.addBatch();
          if (i % 5000 == 4999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  private static String id(long i) {
    return Long.toString(io.valuetier.decide.trace.DecisionLog.firstDecisionId(RUN) + i);
  }

  /** A batch of N ids: the last half delivered already (the end of the log), the other half not yet. */
  private static List<String> batch(int rows) {
    List<String> ids = new ArrayList<>(N);
    for (long i = rows - N / 2; i < rows + N - N / 2; i++) {
      ids.add(id(i));
    }
    return ids;
  }

  private static void bind(PreparedStatement ps, List<String> ids) throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      ps.setString(i + 1, ids.get(i));
    }
    ps.setString(ids.size() + 1, DESTINATION);
  }

  private static long h2RowsExamined(Store store, int rows) throws SQLException {
    fill(store, rows);
    String plan = h2Plan(store, "EXPLAIN ANALYZE ");
    return scanCount(plan);
  }

  private static String h2Plan(Store store, String explain) throws SQLException {
    List<String> ids = batch((int) store.queryLong("SELECT COUNT(*) FROM action_deliveries"));
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(explain + ActionPublisher.deliveredSql(ids.size()))) {
      bind(ps, ids);
      return plan(ps);
    }
  }

  private static String plan(PreparedStatement ps) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append('\n');
      }
    }
    return sb.toString();
  }

  private static long scanCount(String plan) {
    Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(plan);
    assertTrue(m.find(), "no scan count in the plan: " + plan);
    return Long.parseLong(m.group(1));
  }

  private static long mariaDbRowsExamined(Store store, int rows) throws SQLException {
    fill(store, rows);
    List<String> ids = batch(rows);
    try (Connection c = store.connection()) {
      try (var st = c.createStatement()) {
        st.execute("ANALYZE TABLE action_deliveries");
      }
      try (PreparedStatement ps = c.prepareStatement("ANALYZE " + ActionPublisher.deliveredSql(ids.size()))) {
        bind(ps, ids);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), "ANALYZE gave no plan");
          String key = rs.getString("key");
          assertNotNull(key, "the delivery check reads the table without an index");
          double perLoop = rs.getDouble("r_rows");
          return Math.round(perLoop);
        }
      }
    }
  }
}
