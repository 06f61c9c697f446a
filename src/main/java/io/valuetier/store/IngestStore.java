package io.valuetier.store;

import io.valuetier.records.CustomerFacts;
import io.valuetier.records.IngestReport.Totals;
import io.valuetier.records.Rejection;
import io.valuetier.records.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what ingest produces: transactions, rejected records, customers and the run log. Every write is an
 * idempotent batch keyed by content (transactions) or by source fingerprint and line (rejections), so that a repeated
 * or resumed ingest leaves the same rows.
 */
public final class IngestStore {
  private static final MultiRowInsert TX_INSERT =
      new MultiRowInsert(
          "INSERT IGNORE",
          "transactions",
          "row_key,row_check,customer_id,order_id,order_ts,product_id,description,quantity,unit_price,currency,"
              + "country,is_outlier,source_id,line_no",
          200);
  private static final MultiRowInsert REJ_INSERT =
      new MultiRowInsert(
          "INSERT IGNORE",
          "rejected_records",
          "origin,source_id,line_no,reason_code,column_name,bad_value,message,original_text",
          200);

  private static final MysqlBulkLoad TX_LOAD =
      new MysqlBulkLoad(
          "transactions",
          "row_key,row_check,customer_id,order_id,order_ts,product_id,description,quantity,unit_price,currency,"
              + "country,is_outlier,source_id,line_no");
  private static final MysqlBulkLoad REJ_LOAD =
      new MysqlBulkLoad(
          "rejected_records", "origin,source_id,line_no,reason_code,column_name,bad_value,message,original_text");

  private final Store store;

  public IngestStore(Store store) {
    this.store = store;
  }

  public Store store() {
    return store;
  }

  /** The bulk-load connection while the server takes LOAD DATA LOCAL, else one of the pool. */
  private Connection bulkOrPooled(MysqlBulkLoad load) throws SQLException {
    return store.dialect() == Store.Dialect.MYSQL && load.supported() ? store.bulkConnection() : store.connection();
  }

  /**
   * Stores accepted lines. A line already stored (same key and check) is skipped; a different line that happens to
   * have the same key (a hash collision) is moved to the next free key, so that no line is ever dropped for it.
   */
  public void writeTransactions(List<Transaction> rows, int sourceId) {
    if (rows.isEmpty()) {
      return;
    }

    try (Connection c = bulkOrPooled(TX_LOAD)) {
      c.setAutoCommit(false);
      Map<Long, Long> existing = existingKeys(c, rows);
      List<Transaction> fresh = new ArrayList<>(rows.size());
      Map<Long, Long> taken = new HashMap<>();
      for (Transaction t : rows) {
        long key = t.rowKey();
        boolean stored = false;
        while (true) {
          Long check;
          if (taken.containsKey(key)) {
            check = taken.get(key);
          } else if (existing.containsKey(key)) {
            check = existing.get(key);
          } else if (key == t.rowKey()) {
            check = null; // looked up with the batch: free
          } else {
            check = lookupCheck(c, key, existing); // a probed key after a collision
          }
          if (check == null) {
            break;
          }
          if (check == t.rowCheck()) {
            stored = true;
            break;
          }
          key++;
        }
        if (!stored) {
          taken.put(key, t.rowCheck());
          fresh.add(key == t.rowKey() ? t : withKey(t, key));
        }
      }
      if (store.dialect() == Store.Dialect.MYSQL
          && TX_LOAD.supported()
          && TX_LOAD.load(c, fresh, (out, t) -> out.add(t.rowKey()).add(t.rowCheck()).add(t.customerId())
              .add(t.orderId()).add(t.timestamp()).add(t.productId()).add(t.description()).add(t.quantity())
              .add(t.unitPrice()).add(t.currency()).add(t.country()).add(t.isOutlier()).add((long) sourceId)
              .add(t.line()))) {
        c.commit();
        return;
      }
      TX_INSERT.insert(c, fresh, (ps, i, t) -> {
        ps.setLong(i, t.rowKey());
        ps.setLong(i + 1, t.rowCheck());
        ps.setString(i + 2, t.customerId());
        ps.setString(i + 3, t.orderId());
        ps.setObject(i + 4, t.timestamp());
        ps.setString(i + 5, t.productId());
        ps.setString(i + 6, t.description());
        ps.setBigDecimal(i + 7, t.quantity());
        ps.setBigDecimal(i + 8, t.unitPrice());
        ps.setString(i + 9, t.currency());
        ps.setString(i + 10, t.country());
        ps.setBoolean(i + 11, t.isOutlier());
        ps.setInt(i + 12, sourceId);
        ps.setLong(i + 13, t.line());
      });
      c.commit();
    } catch (SQLException e) {
      throw new StoreException(
          "cannot store " + rows.size() + " transactions (lines " + rows.getFirst().line() + ".."
              + rows.getLast().line() + ") in " + store.describe() + ": " + e.getMessage(),
          e);
    }
  }

  private static Transaction withKey(Transaction t, long key) {
    return new Transaction(
        key, t.rowCheck(), t.customerId(), t.orderId(), t.timestamp(), t.productId(), t.description(),
        t.quantity(), t.unitPrice(), t.amount(), t.currency(), t.country(), t.isReturn(), t.isOutlier(), t.line());
  }

  /** Keys of a week: a batch whose keys span less than this is checked with one range scan. */
  private static final long RANGE_SCAN_SPAN = (7 * 1440L) << 37;

  /**
   * The checks of the batch's keys that are already stored. A time-ordered file's batch covers a narrow key range,
   * looked up with one range scan (nearly free on a fresh store); otherwise the keys are looked up in groups.
   */
  private static Map<Long, Long> existingKeys(Connection c, List<Transaction> rows) throws SQLException {
    Map<Long, Long> found = new HashMap<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Transaction t : rows) {
      min = Math.min(min, t.rowKey());
      max = Math.max(max, t.rowKey());
    }
    if (max - min <= RANGE_SCAN_SPAN) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT row_key, row_check FROM transactions WHERE row_key BETWEEN ? AND ?")) {
        ps.setLong(1, min);
        ps.setLong(2, max + rows.size()); // probed keys of earlier collisions lie just above
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getLong(1), rs.getLong(2));
          }
        }
      }
      return found;
    }
    int group = 500;
    for (int from = 0; from < rows.size(); from += group) {
      int to = Math.min(rows.size(), from + group);
      String sql =
          "SELECT row_key, row_check FROM transactions WHERE row_key IN (" + "?,".repeat(to - from - 1) + "?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = from; i < to; i++) {
          ps.setLong(i - from + 1, rows.get(i).rowKey());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getLong(1), rs.getLong(2));
          }
        }
      }
    }
    return found;
  }

  /** Looks up a probed key (only after a collision); remembers the answer, null included. */
  private static Long lookupCheck(Connection c, long key, Map<Long, Long> cache) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT row_check FROM transactions WHERE row_key = ?")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        Long v = rs.next() ? rs.getLong(1) : null;
        cache.put(key, v);
        return v;
      }
    }
  }

  /** Stores rejected records; a record of the same source and line already stored is left as it is. */
  public void writeRejections(List<Rejection> rows, int sourceId) {
    if (rows.isEmpty()) {
      return;
    }

    try (Connection c = bulkOrPooled(REJ_LOAD)) {
      c.setAutoCommit(false);
      List<Rejection> fresh = withoutStoredRejections(c, rows, sourceId);
      if (store.dialect() == Store.Dialect.MYSQL
          && REJ_LOAD.supported()
          && REJ_LOAD.load(c, fresh, (out, r) -> out.add(origin(sourceId, r.line())).add((long) sourceId)
              .add(r.line()).add(r.reason().name()).add(truncate(r.column(), 64)).add(truncate(r.value(), 512))
              .add(truncate(r.message(), 1024)).add(r.originalText()))) {
        c.commit();
        return;
      }
      REJ_INSERT.insert(c, fresh, (ps, i, r) -> {
        ps.setLong(i, origin(sourceId, r.line()));
        ps.setInt(i + 1, sourceId);
        ps.setLong(i + 2, r.line());
        ps.setString(i + 3, r.reason().name());
        ps.setString(i + 4, truncate(r.column(), 64));
        ps.setString(i + 5, truncate(r.value(), 512));
        ps.setString(i + 6, truncate(r.message(), 1024));
        ps.setString(i + 7, r.originalText());
      });
      c.commit();
    } catch (SQLException e) {
      throw new StoreException(
          "cannot store " + rows.size() + " rejected records of source " + sourceId + ": " + e.getMessage(), e);
    }
  }

  /** The rejections whose line is not stored yet: one range scan over the slice's lines. */
  private static List<Rejection> withoutStoredRejections(Connection c, List<Rejection> rows, int sourceId)
      throws SQLException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Rejection r : rows) {
      min = Math.min(min, r.line());
      max = Math.max(max, r.line());
    }
    java.util.Set<Long> stored = new java.util.HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT line_no FROM rejected_records WHERE origin BETWEEN ? AND ?")) {
      ps.setLong(1, origin(sourceId, min));
      ps.setLong(2, origin(sourceId, max));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getLong(1));
        }
      }
    }
    if (stored.isEmpty()) {
      return rows;
    }
    List<Rejection> fresh = new ArrayList<>(rows.size() - stored.size());
    for (Rejection r : rows) {
      if (!stored.contains(r.line())) {
        fresh.add(r);
      }
    }
    return fresh;
  }

  /** The key of a line of a source in {@code rejected_records}. */
  /**
   * The first {@code limit} rejected lines of the source an ingest run read, in line order, each as
   * {@code line N: REASON, column C = 'value': message}.
   */
  public List<String> firstRejections(String runId, int limit) {
    int sourceId = (int) store.queryLong("SELECT source_id FROM ingest_runs WHERE run_id = ?", runId);
    List<String> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT line_no, reason_code, column_name, bad_value, message FROM rejected_records"
                + " WHERE origin BETWEEN ? AND ? ORDER BY origin LIMIT " + limit)) {
      ps.setLong(1, origin(sourceId, 0));
      ps.setLong(2, origin(sourceId, (1L << 40) - 1));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(3);
          String value = rs.getString(4);
          out.add("line " + rs.getLong(1) + ": " + rs.getString(2)
              + (column == null ? "" : ", " + (column.startsWith("column ") ? column : "column " + column)
                  + (value == null ? "" : " = '" + value + "'"))
              + ": " + rs.getString(5));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the rejected lines of run " + runId + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static long origin(int sourceId, long line) {
    return ((long) sourceId << 40) | line;
  }

  /** The id of a source by the fingerprint of its content, registering it on first sight. */
  public int sourceId(String fingerprint, String kind, String path) {
    String select = "SELECT source_id FROM ingest_sources WHERE fingerprint = ?";
    long id = store.queryLong(select, fingerprint);
    if (id == 0) {
      try (Connection c = store.connection();
          PreparedStatement ps =
              c.prepareStatement(
                  Store.insertIgnore("ingest_sources", "fingerprint,kind,first_path,first_seen"))) {
        ps.setString(1, fingerprint);
        ps.setString(2, kind);
        ps.setString(3, truncate(path, 1024));
        ps.setTimestamp(4, Timestamp.from(Instant.now()));
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new StoreException("cannot register source " + path + ": " + e.getMessage(), e);
      }
      id = store.queryLong(select, fingerprint);
    }
    return (int) id;
  }

  /** Adds customers first seen in transactions; existing customers (and their facts) are untouched. */
  public void addSeenCustomers(Map<String, SeenCustomer> seen) {
    if (seen.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              Store.insertIgnore("customers", "customer_id,country,first_seen,facts_source,updated_at"))) {
        int n = 0;
        for (Map.Entry<String, SeenCustomer> e : seen.entrySet()) {
          ps.setString(1, e.getKey());
          ps.setString(2, e.getValue().country());
          ps.setTimestamp(3, Timestamp.valueOf(e.getValue().firstSeen()));
          ps.setString(4, "transactions");
          ps.setTimestamp(5, now);
          ps.addBatch();
          if (++n % 10_000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot store customers: " + e.getMessage(), e);
    }
  }

  /** Inserts or updates customer facts (the facts file is the latest word on them). */
  public void upsertCustomerFacts(Collection<CustomerFacts> facts) {
    if (facts.isEmpty()) {
      return;
    }
    String cols =
        "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag,"
            + "facts_source,updated_at";
    String sql =
        switch (store.dialect()) {
          case H2 -> "MERGE INTO customers (" + cols + ") KEY(customer_id) VALUES (?,?,?,?,?,?,?,?,?,?)";
          case MYSQL ->
              "INSERT INTO customers (" + cols + ") VALUES (?,?,?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE "
                  + "segment=VALUES(segment),country=VALUES(country),marketing_consent=VALUES(marketing_consent),"
                  + "loyalty_member=VALUES(loyalty_member),signup_date=VALUES(signup_date),"
                  + "open_complaints=VALUES(open_complaints),fraud_flag=VALUES(fraud_flag),"
                  + "facts_source=VALUES(facts_source),updated_at=VALUES(updated_at)";
        };
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (CustomerFacts f : facts) {
          ps.setString(1, f.customerId());
          ps.setString(2, f.segment());
          ps.setString(3, f.country());
          setBool(ps, 4, f.marketingConsent());
          setBool(ps, 5, f.loyaltyMember());
          if (f.signupDate() == null) {
            ps.setNull(6, Types.DATE);
          } else {
            ps.setDate(6, java.sql.Date.valueOf(f.signupDate()));
          }
          if (f.openComplaints() == null) {
            ps.setNull(7, Types.INTEGER);
          } else {
            ps.setInt(7, f.openComplaints());
          }
          setBool(ps, 8, f.fraudFlag());
          ps.setString(9, "facts");
          ps.setTimestamp(10, now);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot store customer facts: " + e.getMessage(), e);
    }
  }

  private static void setBool(PreparedStatement ps, int i, Boolean b) throws SQLException {
    if (b == null) {
      ps.setNull(i, Types.BOOLEAN);
    } else {
      ps.setBoolean(i, b);
    }
  }

  /** Opens a run in the log with status RUNNING. */
  public void startRun(String runId, String kind, String source, int sourceId, String format) {
    store.execute(
        "INSERT INTO ingest_runs (run_id,kind,source,source_id,format,status,started_at) "
            + "VALUES (?,?,?,?,?,'RUNNING',?)",
        runId, kind, truncate(source, 1024), sourceId, format, Timestamp.from(Instant.now()));
  }

  /** Closes a run with its accounting; earlier runs of the same source that never finished are marked ABORTED. */
  public void finishRun(
      String runId,
      int sourceId,
      String status,
      long read,
      long accepted,
      long rejected,
      long returns,
      long outliers,
      long customers,
      LocalDateTime first,
      LocalDateTime last,
      double rowsPerSecond,
      String rejectedByReasonJson,
      String message) {
    store.execute(
        "UPDATE ingest_runs SET status=?, finished_at=?, rows_read=?, rows_accepted=?, rows_rejected=?, "
            + "returns_count=?, outliers=?, customers=?, first_date=?, last_date=?, rows_per_second=?, "
            + "rejected_by_reason=?, message=? WHERE run_id=?",
        status,
        Timestamp.from(Instant.now()),
        read,
        accepted,
        rejected,
        returns,
        outliers,
        customers,
        first == null ? null : Timestamp.valueOf(first),
        last == null ? null : Timestamp.valueOf(last),
        rowsPerSecond,
        truncate(rejectedByReasonJson, 4000),
        truncate(message, 4000),
        runId);
    if ("COMPLETED".equals(status)) {
      store.execute(
          "UPDATE ingest_runs SET status='ABORTED', message=? "
              + "WHERE source_id=? AND status='RUNNING' AND run_id<>?",
          "did not finish; superseded by run " + runId, sourceId, runId);
    }
  }

  /**
   * The accounting of the latest completed run of the source with this fingerprint and format, as a report with
   * status {@code UNCHANGED} and the store's current totals; {@code null} when there is none.
   */
  public io.valuetier.records.IngestReport completedRun(String fingerprint, String format) {
    String sql =
        "SELECT r.run_id, r.kind, r.source, r.rows_read, r.rows_accepted, r.rows_rejected, r.rejected_by_reason,"
            + " r.returns_count, r.outliers, r.customers, r.first_date, r.last_date, r.rows_per_second"
            + " FROM ingest_runs r JOIN ingest_sources s ON s.source_id = r.source_id"
            + " WHERE s.fingerprint = ? AND r.format = ? AND r.status = 'COMPLETED' ORDER BY r.finished_at DESC";
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, fingerprint);
      ps.setString(2, format);
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Long> reasons = new java.util.TreeMap<>();
        String json = rs.getString(7);
        if (json != null && !json.isBlank()) {
          io.valuetier.util.Json.MAPPER.readTree(json).properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        }
        Timestamp first = rs.getTimestamp(11);
        Timestamp last = rs.getTimestamp(12);
        return new io.valuetier.records.IngestReport(
            rs.getString(1), rs.getString(2), rs.getString(3), format, "UNCHANGED", rs.getLong(4), rs.getLong(5),
            rs.getLong(6), reasons, rs.getLong(8), rs.getLong(9), rs.getLong(10),
            first == null ? null : first.toLocalDateTime(), last == null ? null : last.toLocalDateTime(), 0,
            rs.getDouble(13), totals(), null);
      }
    } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StoreException("cannot read the ingest log: " + e.getMessage(), e);
    }
  }

  /** Row counts of the store, for the accounting printed after a run. */
  public Totals totals() {
    return new Totals(
        store.queryLong("SELECT COUNT(*) FROM transactions"),
        store.queryLong("SELECT COUNT(*) FROM customers"),
        store.queryLong("SELECT COUNT(*) FROM rejected_records"));
  }

  /** A customer as first seen in transactions. */
  public record SeenCustomer(String country, LocalDateTime firstSeen) {}

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
