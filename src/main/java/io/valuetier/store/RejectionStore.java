package io.valuetier.store;

import io.valuetier.records.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rejected records of ingest, keyed by source and line so that a repeated or resumed ingest stores each once, and
 * the first of them read back for the accounting of a run.
 */
public final class RejectionStore {
  private static final MultiRowInsert REJ_INSERT =
      new MultiRowInsert(
          "INSERT IGNORE",
          "rejected_records",
          "origin,source_id,line_no,reason_code,column_name,bad_value,message,original_text",
          200);

  private static final MysqlBulkLoad REJ_LOAD =
      new MysqlBulkLoad(
          "rejected_records", "origin,source_id,line_no,reason_code,column_name,bad_value,message,original_text");


  private final Store store;

  public RejectionStore(Store store) {
    this.store = store;
  }

  /** Stores rejected records; a record of the same source and line already stored is left as it is. */
  public void writeRejections(List<Rejection> rows, int sourceId) {
    if (rows.isEmpty()) {
      return;
    }

    try (Connection connection = REJ_LOAD.connection(store)) {
      Store.inTransaction(connection, c -> {
        List<Rejection> fresh = withoutStoredRejections(c, rows, sourceId);
        if (store.dialect() == Store.Dialect.MYSQL
            && REJ_LOAD.supported()
            && REJ_LOAD.load(c, fresh, (out, r) -> out.add(origin(sourceId, r.line())).add((long) sourceId)
                .add(r.line()).add(r.reason().name()).add(ColumnText.truncate(r.column(), 64))
                .add(ColumnText.truncate(r.value(), 512)).add(ColumnText.truncate(r.message(), 1024))
                .add(r.originalText()))) {
          return null;
        }
        REJ_INSERT.insert(c, fresh, (ps, i, r) -> {
          ps.setLong(i, origin(sourceId, r.line()));
          ps.setInt(i + 1, sourceId);
          ps.setLong(i + 2, r.line());
          ps.setString(i + 3, r.reason().name());
          ps.setString(i + 4, ColumnText.truncate(r.column(), 64));
          ps.setString(i + 5, ColumnText.truncate(r.value(), 512));
          ps.setString(i + 6, ColumnText.truncate(r.message(), 1024));
          ps.setString(i + 7, r.originalText());
        });
        return null;
      });
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
    Set<Long> stored = new HashSet<>();
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

  /** The key of a line of a source in {@code rejected_records}. */
  public static long origin(int sourceId, long line) {
    return ((long) sourceId << 40) | line;
  }
}
