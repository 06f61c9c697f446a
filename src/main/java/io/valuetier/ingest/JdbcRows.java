package io.valuetier.ingest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The rows of a JDBC source query as records, so that they are cleaned like the lines of a file: the column names
 * (lower case) are the header, values become text as a file would hold them, and a column {@code line_id}, if present,
 * numbers the rows (the source table's key keeps a rejection's identity between runs); otherwise rows are numbered in
 * query order. A row's original text, kept with a rejection, is the row as one CSV line.
 */
final class JdbcRows implements Function<Map<String, Object>, RawRecord> {
  private final List<String> columns;
  private final String[] header;
  private final int lineIdColumn;
  private long ordinal;

  JdbcRows(Collection<String> columnNames) {
    this.columns = new ArrayList<>(columnNames);
    this.header = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    this.lineIdColumn = Arrays.asList(header).indexOf("line_id");
  }

  /** The column names as a header record. */
  RawRecord header() {
    return new RawRecord(0, 1, String.join(",", header).getBytes(StandardCharsets.UTF_8), header);
  }

  @Override
  public RawRecord apply(Map<String, Object> row) {
    ordinal++;
    String[] f = new String[columns.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = asText(row.get(columns.get(i)));
    }
    long line = ordinal;
    if (lineIdColumn >= 0 && f[lineIdColumn] != null) {
      try {
        line = Long.parseLong(f[lineIdColumn]);
      } catch (NumberFormatException e) {
        line = ordinal;
      }
    }
    return new RawRecord(line, 1, csvLine(f).getBytes(StandardCharsets.UTF_8), f);
  }

  private static String asText(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof Date d) {
      return d.toLocalDate().toString();
    }
    return v.toString();
  }

  /** A row as one CSV line (RFC 4180 quoting). */
  private static String csvLine(String[] f) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String v = f[i] == null ? "" : f[i];
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
        sb.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }
}
