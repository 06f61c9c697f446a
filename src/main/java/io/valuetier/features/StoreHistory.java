package io.valuetier.features;

import io.valuetier.records.CustomerFacts;
import io.valuetier.store.IdRange;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.function.LongConsumer;

/**
 * The repository of customer history in the store: streams the cleaned {@code transactions} table (row by row, never
 * the whole table in memory) and reads the {@code customers} facts into a {@link CustomerLog}.
 */
public final class StoreHistory {
  private StoreHistory() {}

  /** Builds the log of every customer in the store. */
  public static CustomerLog read(Store store) {
    return read(store, n -> {});
  }

  /** Builds the log, telling {@code progress} the number of transaction rows read every 100,000 rows. */
  public static CustomerLog read(Store store, LongConsumer progress) {
    return read(store, progress, null);
  }

  /**
   * As {@link #read(Store, LongConsumer)}, handing every order line also to {@code lines} (when not null) in the same
   * pass, with its description.
   */
  public static CustomerLog read(Store store, LongConsumer progress, OrderLineSink lines) {
    CustomerLog.Builder builder = CustomerLog.builder();
    streamTransactions(store, builder, progress, lines, IdRange.ALL);
    readFacts(store, builder, IdRange.ALL);
    return builder.build();
  }

  /**
   * The log of the customers of {@code range} only (a bucket of the distributed batch): their transactions through
   * the index by customer, and their facts. Each customer's history is the same as in the whole store's log.
   */
  public static CustomerLog read(Store store, IdRange range) {
    CustomerLog.Builder builder = CustomerLog.builder();
    streamTransactions(store, builder, n -> {}, null, range);
    readFacts(store, builder, range);
    return builder.build();
  }

  private static void streamTransactions(
      Store store, CustomerLog.Builder builder, LongConsumer progress, OrderLineSink lines, IdRange range) {
    // In the order the table is stored in (arrival order since V91: a sequential read); the log orders the lines by
    // their keys (time, then content hash) itself, so the models do not depend on the order rows arrived in. An ORDER
    // BY row_key read the table through its index, one random lookup per row: 94 s instead of about 40 at 1M customers.
    String sql =
        "SELECT customer_id, order_ts, quantity, unit_price, product_id, country, row_key"
            + (lines == null ? "" : ", description") + " FROM transactions"
            + (range.equals(IdRange.ALL) ? "" : " WHERE " + range.condition("customer_id"));
    long[] n = {0};
    try {
      store.stream(sql, rs -> {
        LocalDateTime ts = rs.getObject(2, LocalDateTime.class);
        double quantity = rs.getDouble(3);
        double price = rs.getDouble(4);
        String customer = rs.getString(1);
        String product = rs.getString(5);
        int day = (int) ts.toLocalDate().toEpochDay();
        builder.add(rs.getLong(7), customer, day, quantity * price, quantity, product, rs.getString(6));
        if (lines != null) {
          lines.add(customer, product, rs.getString(8), day, quantity < 0);
        }
        if (++n[0] % 100_000 == 0) {
          progress.accept(n[0]);
        }
      }, range.args());
      progress.accept(n[0]);
    } catch (SQLException e) {
      throw new StoreException("cannot read the transactions of " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  private static void readFacts(Store store, CustomerLog.Builder builder, IdRange range) {
    String sql =
        "SELECT customer_id, segment, country, marketing_consent, loyalty_member, signup_date, open_complaints, "
            + "fraud_flag FROM customers WHERE " + range.condition("customer_id");
    Object[] args = range.args();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ResultSet rs = ps.executeQuery();
      while (rs.next()) {
        Date signup = rs.getDate(6);
        int complaints = rs.getInt(7);
        Integer openComplaints = rs.wasNull() ? null : complaints;
        builder.facts(
            new CustomerFacts(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                bool(rs, 4),
                bool(rs, 5),
                signup == null ? null : signup.toLocalDate(),
                openComplaints,
                bool(rs, 8)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the customers of " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  private static Boolean bool(ResultSet rs, int column) throws SQLException {
    boolean b = rs.getBoolean(column);
    return rs.wasNull() ? null : b;
  }
}
