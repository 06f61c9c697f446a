package io.valuetier.decide;

import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of customer ids in the store's own order: from {@code from} (inclusive) to {@code to} (exclusive), either
 * open when null. A bucket of the distributed batch is one, so that a worker reads its customers through the key of
 * {@code scores} instead of scanning the run's whole table.
 *
 * @param from the first id, or null from the start
 * @param to the id after the last, or null to the end
 */
public record IdRange(String from, String to) {
  /** Every id. */
  public static final IdRange ALL = new IdRange(null, null);

  /** {@code "column >= ? AND column < ?"}, the parts that are not open ({@code "TRUE"} for {@link #ALL}). */
  String condition(String column) {
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
  Object[] args() {
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
   * The scored customers split into {@code parts} contiguous ranges of about the same size, in the store's order of
   * the ids: one ordered read of the key of {@code scores}. Fewer customers than parts give empty ranges at the end.
   */
  public static List<IdRange> split(Store store, int parts) {
    long n = store.queryLong("SELECT COUNT(*) FROM scores");
    List<String> bounds = new ArrayList<>(parts - 1);
    long[] row = {0};
    int[] next = {1};
    try {
      store.stream("SELECT customer_id FROM scores ORDER BY customer_id", rs -> {
        // bound k is the id at position k * n / parts (k = 1 .. parts - 1)
        while (next[0] < parts && row[0] == next[0] * n / parts) {
          bounds.add(rs.getString(1));
          next[0]++;
        }
        row[0]++;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot split the scored customers into " + parts + " ranges: " + e.getMessage(), e);
    }
    List<IdRange> out = new ArrayList<>(parts);
    if (bounds.size() < parts - 1) { // no customer scored: one open range, the others empty
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
