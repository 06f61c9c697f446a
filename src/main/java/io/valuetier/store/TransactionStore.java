package io.valuetier.store;

import io.valuetier.records.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the accepted transaction lines of ingest: an idempotent batch keyed by content, so that a repeated or
 * resumed ingest leaves the same rows. The rows are appended in arrival order (the primary key {@code row_id}); the
 * content key {@code row_key} has a unique index of its own (V91), so that a file in random key order (sorted by
 * customer, say) no longer rewrites a page of whole rows for every line.
 */
public final class TransactionStore {
  private static final MultiRowInsert TX_INSERT =
      new MultiRowInsert(
          "INSERT IGNORE",
          "transactions",
          "row_key,row_check,customer_id,order_id,order_ts,product_id,description,quantity,unit_price,currency,"
              + "country,is_outlier,source_id,line_no",
          200);
  private static final MysqlBulkLoad TX_LOAD =
      new MysqlBulkLoad(
          "transactions",
          "row_key,row_check,customer_id,order_id,order_ts,product_id,description,quantity,unit_price,currency,"
              + "country,is_outlier,source_id,line_no");

  private final Store store;

  public TransactionStore(Store store) {
    this.store = store;
  }

  /**
   * Stores accepted lines. A line already stored (same key and check) is skipped; a different line that happens to
   * have the same key (a hash collision) is moved to the next free key, so that no line is ever dropped for it.
   */
  public void writeTransactions(List<Transaction> rows, int sourceId) {
    if (rows.isEmpty()) {
      return;
    }

    try (Connection connection = TX_LOAD.connection(store)) {
      writeTransactions(rows, sourceId, connection);
    } catch (SQLException e) {
      throw failure(rows, e);
    }
  }

  /** {@link #writeTransactions(List, int)} on a connection of the caller's (the store's bulk connection on MySQL). */
  void writeTransactions(List<Transaction> rows, int sourceId, Connection connection) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      Store.inTransaction(connection, c -> {
        Map<Long, Long> existing = existingKeys(c, rows, Math.min(LOOKUP_GROUP, store.inList()));
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
          return null;
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
        return null;
      });
    } catch (SQLException e) {
      throw failure(rows, e);
    }
  }

  private StoreException failure(List<Transaction> rows, SQLException e) {
    return new StoreException(
        "cannot store " + rows.size() + " transactions (lines " + rows.getFirst().line() + ".."
            + rows.getLast().line() + ") in " + store.describe() + ": " + e.getMessage(),
        e);
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
  private static Map<Long, Long> existingKeys(Connection c, List<Transaction> rows, int group)
      throws SQLException {
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
    for (int from = 0; from < rows.size(); from += group) {
      int to = Math.min(rows.size(), from + group);
      try (PreparedStatement ps = c.prepareStatement(lookupSql(to - from))) {
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

  /**
   * The most keys looked up with one statement when a batch spans more than {@link #RANGE_SCAN_SPAN} (fewer on H2:
   * {@link Store#inList()}).
   */
  static final int LOOKUP_GROUP = 500;

  /** The lookup of {@code n} keys: answered through the unique index on {@code row_key}, one probe per key. */
  static String lookupSql(int n) {
    return "SELECT row_key, row_check FROM transactions WHERE row_key IN (" + "?,".repeat(n - 1) + "?)";
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
}
