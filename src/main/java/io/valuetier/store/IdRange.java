package io.valuetier.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of customer ids in the store's own order: from {@code from} (inclusive) to {@code to} (exclusive), either
 * open when null. A bucket of the distributed batch is one, so that a worker reads its customers through the keys of
 * {@code customers}, {@code transactions} and {@code scores} instead of scanning the whole tables.
 *
 * @param from the first id, or null from the start
 * @param to the id after the last, or null to the end
 */
public record IdRange(String from, String to) {
  /** Every id. */
  public static final IdRange ALL = new IdRange(null, null);

  /** {@code "column >= ? AND column < ?"}, the parts that are not open ({@code "TRUE"} for {@link #ALL}). */
  public String condition(String column) {
    List<String> parts = new ArrayList<>(2);
    if (from != null) {
      parts.add(column + " >= ?");
    }
    if (to != null) {
      parts.add(column + " < ?");
    }
    return parts.isEmpty() ? "TRUE" : String.join(" AND ", parts);
  }

  /** The bounds that are not open, as statement arguments in the order of {@link #condition}. */
  public Object[] args() {
    List<Object> a = new ArrayList<>(2);
    if (from != null) {
      a.add(from);
    }
    if (to != null) {
      a.add(to);
    }
    return a.toArray();
  }

  /**
   * The scored customers split into {@code parts} contiguous ranges of about the same size: {@link #split(Store,
   * String, int)} of {@code scores}.
   */
  public static List<IdRange> split(Store store, int parts) {
    return split(store, "scores", parts);
  }

  /**
   * The customers of {@code table} (keyed by {@code customer_id}: {@code scores} or {@code customers}) split into
   * {@code parts} contiguous ranges of about the same size, in the store's order of the ids: one ordered read of the
   * key. Fewer customers than parts give empty ranges at the end.
   */
  public static List<IdRange> split(Store store, String table, int parts) {
    if (!table.equals("scores") && !table.equals("customers")) {
      throw new IllegalArgumentException("ranges of customer ids are taken from scores or customers, not " + table);
    }
    long n = store.queryLong("SELECT COUNT(*) FROM " + table);
    List<String> bounds = new ArrayList<>(parts - 1);
    long[] row = {0};
    int[] next = {1};
    try {
      store.stream("SELECT customer_id FROM " + table + " ORDER BY customer_id", rs -> {
        // bound k is the id at position k * n / parts (k = 1 .. parts - 1)
        while (next[0] < parts && row[0] == next[0] * n / parts) {
          bounds.add(rs.getString(1));
          next[0]++;
        }
        row[0]++;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot split the customers of " + table + " into " + parts + " ranges: "
          + e.getMessage(), e);
    }
    List<IdRange> out = new ArrayList<>(parts);
    if (bounds.size() < parts - 1) { // no customer: one open range, the others empty
      out.add(ALL);
      for (int k = 1; k < parts; k++) {
        out.add(new IdRange("", ""));
      }
      return out;
    }
    String from = null;
    for (int k = 0; k < parts; k++) {
      String to = k < parts - 1 ? bounds.get(k) : null;
      out.add(new IdRange(from, to));
      from = to;
    }
    return out;
  }

  @Override
  public String toString() {
    return "[" + (from == null ? "start" : from) + ", " + (to == null ? "end" : to) + ")";
  }
}
