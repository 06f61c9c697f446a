package io.valuetier.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces what a table holds with one run's rows: into an empty table, plain multi-row inserts; over an earlier run's
 * rows, each row is replaced in place by its key ({@link MultiRowInsert#upsert}) and the rows the run did not write are
 * deleted at the end, told apart by the table's {@code run_id} column. Deleting every row first and inserting them all
 * again in one transaction wrote each row twice (see V135).
 *
 * <p>Each slice of rows is committed as it is written (on a connection in a transaction): replaced in one transaction,
 * a million rows kept every old row version until the commit, and the daily scoring path's writes at 1M customers
 * took twice as long as writing into an empty table on H2 (scores 47.0 s against 21.8 s, see BENCHMARKS.md). A run
 * that stops midway leaves each customer's row of either the earlier run or its own, never none: a reader sees a
 * score or picks for every customer meanwhile, and the next run replaces them all.
 */
public final class RunReplacement {
  private final String table;
  private final MultiRowInsert insert;
  private final Map<Store.Dialect, MultiRowInsert> upsert = new EnumMap<>(Store.Dialect.class);

  /**
   * @param columns the columns written, {@code run_id} among them (the binder sets it to the run's id)
   * @param key the primary or unique key that a row is replaced by
   */
  public RunReplacement(String table, String columns, String key, int rowsPerStatement) {
    if (!List.of(columns.split(",")).contains("run_id")) {
      throw new IllegalArgumentException("the columns written to " + table + " must include run_id: " + columns);
    }
    this.table = table;
    this.insert = new MultiRowInsert("INSERT", table, columns, rowsPerStatement);
    for (Store.Dialect d : Store.Dialect.values()) {
      upsert.put(d, MultiRowInsert.upsert(d, table, columns, key, rowsPerStatement));
    }
  }

  /**
   * Rows to write between two commits. On H2 about its 1 MB write buffer's worth: each time the buffer fills, H2's
   * background writer saves the open transaction's rows uncommitted, with the old versions and the undo log, so a
   * commit every 10,000 rows made the scores' and picks' writes 25-40% slower at 300,000 customers (BENCHMARKS.md).
   * On MySQL more: each commit flushes its log.
   */
  public static int rowsPerCommit(Store.Dialect dialect) {
    return dialect == Store.Dialect.H2 ? 1_000 : 10_000;
  }

  /** Starts run {@code runId} on {@code c}; write its rows with {@link Run#insert}, then call {@link Run#finish}. */
  public Run begin(Connection c, Store.Dialect dialect, String runId) throws SQLException {
    boolean replacing;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
      replacing = rs.next();
    }
    return new Run(c, replacing ? upsert.get(dialect) : insert, replacing, runId);
  }

  /** One run's writing. */
  public final class Run {
    private final Connection c;
    private final MultiRowInsert writer;
    private final boolean replacing;
    private final String runId;

    private Run(Connection c, MultiRowInsert writer, boolean replacing, String runId) {
      this.c = c;
      this.writer = writer;
      this.replacing = replacing;
      this.runId = runId;
    }

    /**
     * Writes {@code rows} and commits them (when the connection is in a transaction); the binder sets every column,
     * {@code run_id} to this run's id.
     */
    public <T> void insert(List<T> rows, MultiRowInsert.Binder<T> binder) throws SQLException {
      writer.insert(c, rows, binder);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }

    /** Deletes the rows this run did not write (none when the table was empty). */
    public void finish() throws SQLException {
      if (!replacing) {
        return;
      }
      try (PreparedStatement stale =
          c.prepareStatement("DELETE FROM " + table + " WHERE run_id IS NULL OR run_id <> ?")) {
        stale.setString(1, runId);
        stale.executeUpdate();
      }
    }
  }
}
