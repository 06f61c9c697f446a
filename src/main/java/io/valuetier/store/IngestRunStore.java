package io.valuetier.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valuetier.records.IngestReport;
import io.valuetier.records.IngestReport.Totals;
import io.valuetier.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log of ingest: each source by the fingerprint of its content, each run with its accounting, and the store's
 * row counts reported after a run.
 */
public final class IngestRunStore {
  private final Store store;

  public IngestRunStore(Store store) {
    this.store = store;
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
        ps.setString(3, ColumnText.truncate(path, 1024));
        ps.setTimestamp(4, Timestamp.from(Instant.now()));
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new StoreException("cannot register source " + path + ": " + e.getMessage(), e);
      }
      id = store.queryLong(select, fingerprint);
    }
    return (int) id;
  }


  /** Opens a run in the log with status RUNNING. */
  public void startRun(String runId, String kind, String source, int sourceId, String format) {
    store.execute(
        "INSERT INTO ingest_runs (run_id,kind,source,source_id,format,status,started_at) "
            + "VALUES (?,?,?,?,?,'RUNNING',?)",
        runId, kind, ColumnText.truncate(source, 1024), sourceId, format, Timestamp.from(Instant.now()));
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
        ColumnText.truncate(rejectedByReasonJson, 4000),
        ColumnText.truncate(message, 4000),
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
  public IngestReport completedRun(String fingerprint, String format) {
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
        Map<String, Long> reasons = new TreeMap<>();
        String json = rs.getString(7);
        if (json != null && !json.isBlank()) {
          Json.MAPPER.readTree(json).properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        }
        Timestamp first = rs.getTimestamp(11);
        Timestamp last = rs.getTimestamp(12);
        return new IngestReport(
            rs.getString(1), rs.getString(2), rs.getString(3), format, "UNCHANGED", rs.getLong(4), rs.getLong(5),
            rs.getLong(6), reasons, rs.getLong(8), rs.getLong(9), rs.getLong(10),
            first == null ? null : first.toLocalDateTime(), last == null ? null : last.toLocalDateTime(), 0,
            rs.getDouble(13), totals(), null);
      }
    } catch (SQLException | JsonProcessingException e) {
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
}
