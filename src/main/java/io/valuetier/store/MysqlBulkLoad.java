package io.valuetier.store;

import com.mysql.cj.jdbc.JdbcStatement;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Bulk writes to MySQL/MariaDB with {@code LOAD DATA LOCAL INFILE} fed from memory (no file is written): the server
 * parses tab-separated rows several times faster than the values of multi-row {@code INSERT} statements, which is what
 * bounds ingest into MySQL. {@code IGNORE} gives the same semantics as {@code INSERT IGNORE}: a row whose key is
 * already stored is skipped (the callers have already moved colliding keys, so only true repeats are skipped).
 *
 * <p>The driver only streams what the caller sets with {@code setLocalInfileInputStream}; the connection needs
 * {@code allowLoadLocalInfile=true} (only {@link Store#bulkConnection} has it) and the server {@code local_infile=ON} (the default of
 * MariaDB). When the server refuses, {@link #supported} turns false and the callers fall back to {@link MultiRowInsert}.
 */
public final class MysqlBulkLoad {
  /** Writes one row's fields with {@link Row#add}. */
  @FunctionalInterface
  public interface RowWriter<T> {
    void write(Row out, T row);
  }

  private final String sql;
  private volatile boolean supported = true;

  public MysqlBulkLoad(String table, String columns) {
    this.sql =
        "LOAD DATA LOCAL INFILE 'valuetier-stream.tsv' IGNORE INTO TABLE " + table
            + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
            + columns + ")";
  }

  public boolean supported() {
    return supported;
  }

  /** A connection for this load: the bulk-load one while the server takes LOAD DATA LOCAL, else one of the pool. */
  Connection connection(Store store) throws SQLException {
    return store.dialect() == Store.Dialect.MYSQL && supported ? store.bulkConnection() : store.connection();
  }

  /**
   * Loads {@code rows} on {@code c} (the caller owns the transaction); returns false, having written nothing, when
   * the server does not allow {@code LOAD DATA LOCAL}.
   */
  public <T> boolean load(Connection c, List<T> rows, RowWriter<T> writer) throws SQLException {
    if (rows.isEmpty()) {
      return true;
    }
    Row out = new Row(new StringBuilder(rows.size() * 160));
    for (T r : rows) {
      writer.write(out, r);
      out.end();
    }
    byte[] bytes = out.sb.toString().getBytes(StandardCharsets.UTF_8);
    try (Statement st = c.createStatement()) {
      st.unwrap(JdbcStatement.class).setLocalInfileInputStream(new ByteArrayInputStream(bytes));
      st.executeUpdate(sql);
      return true;
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("local") && (m.contains("not allowed") || m.contains("disabled") || m.contains("forbidden"))) {
        supported = false;
        return false;
      }
      throw e;
    }
  }

  /** One row being written: fields separated by tabs, escaped as LOAD DATA expects, NULL as {@code \N}. */
  public static final class Row {
    private final StringBuilder sb;
    private boolean first = true;

    Row(StringBuilder sb) {
      this.sb = sb;
    }

    private void sep() {
      if (!first) {
        sb.append('\t');
      }
      first = false;
    }

    void end() {
      sb.append('\n');
      first = true;
    }

    public Row add(long v) {
      sep();
      sb.append(v);
      return this;
    }

    public Row add(boolean v) {
      sep();
      sb.append(v ? '1' : '0');
      return this;
    }

    public Row add(BigDecimal v) {
      sep();
      if (v == null) {
        sb.append("\\N");
      } else {
        sb.append(v.toPlainString());
      }
      return this;
    }

    public Row add(LocalDateTime v) {
      sep();
      if (v == null) {
        sb.append("\\N");
      } else {
        // 'YYYY-MM-DD HH:MM:SS.fff' in the session time zone, which Store sets to UTC like the other writes.
        sb.append(v.toLocalDate()).append(' ');
        int h = v.getHour(), mi = v.getMinute(), s = v.getSecond(), ms = v.getNano() / 1_000_000;
        two(h).append(':');
        two(mi).append(':');
        two(s).append('.');
        if (ms < 100) sb.append('0');
        if (ms < 10) sb.append('0');
        sb.append(ms);
      }
      return this;
    }

    private StringBuilder two(int v) {
      if (v < 10) {
        sb.append('0');
      }
      return sb.append(v);
    }

    public Row add(String v) {
      sep();
      if (v == null) {
        sb.append("\\N");
        return this;
      }
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        switch (ch) {
          case '\\' -> sb.append("\\\\");
          case '\t' -> sb.append("\\t");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\0' -> sb.append("\\0");
          default -> sb.append(ch);
        }
      }
      return this;
    }
  }
}
