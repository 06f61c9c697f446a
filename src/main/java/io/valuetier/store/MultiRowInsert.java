package io.valuetier.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts many rows with multi-row {@code INSERT ... VALUES (...),(...)} statements: on H2 this is about 40% faster
 * per row than a JDBC batch of single-row statements (each statement carries fixed costs), and on MySQL it is what
 * {@code rewriteBatchedStatements} would send anyway.
 */
public final class MultiRowInsert {
  /** Binds one row's values starting at parameter {@code first}. */
  @FunctionalInterface
  public interface Binder<T> {
    void bind(PreparedStatement ps, int first, T row) throws SQLException;
  }

  private final String head;
  private final String tuple;
  private final int arity;
  private final int rowsPerStatement;

  /**
   * @param verb {@code INSERT} or {@code INSERT IGNORE}
   */
  public MultiRowInsert(String verb, String table, String columns, int rowsPerStatement) {
    this.arity = columns.split(",").length;
    this.head = verb + " INTO " + table + " (" + columns + ") VALUES ";
    this.tuple = "(" + "?,".repeat(arity - 1) + "?)";
    this.rowsPerStatement = rowsPerStatement;
  }

  private String sql(int rows) {
    StringBuilder sb = new StringBuilder(head.length() + rows * (tuple.length() + 1));
    sb.append(head);
    for (int i = 0; i < rows; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(tuple);
    }
    return sb.toString();
  }

  /** Inserts {@code rows} on {@code c} (the caller owns the transaction). */
  public <T> void insert(Connection c, List<T> rows, Binder<T> binder) throws SQLException {
    int n = rows.size();
    int full = n / rowsPerStatement;
    if (full > 0) {
      try (PreparedStatement ps = c.prepareStatement(sql(rowsPerStatement))) {
        for (int g = 0; g < full; g++) {
          int base = g * rowsPerStatement;
          for (int r = 0; r < rowsPerStatement; r++) {
            binder.bind(ps, r * arity + 1, rows.get(base + r));
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    int rest = n - full * rowsPerStatement;
    if (rest > 0) {
      try (PreparedStatement ps = c.prepareStatement(sql(rest))) {
        int base = full * rowsPerStatement;
        for (int r = 0; r < rest; r++) {
          binder.bind(ps, r * arity + 1, rows.get(base + r));
        }
        ps.executeUpdate();
      }
    }
  }
}
