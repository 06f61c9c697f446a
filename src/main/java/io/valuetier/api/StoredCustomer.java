package io.valuetier.api;

import io.valuetier.records.CustomerFacts;
import io.valuetier.records.Transaction;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store knows of one customer when a caller sends facts or transactions with a decision request: the facts
 * (to keep the stricter of stored and supplied holds), the date the stored score was made at, and the stored order
 * lines (so that a known customer is scored from their history plus the supplied lines, not as a new customer).
 */
final class StoredCustomer {
  /** Stored lines read for one online rescoring at most; a customer beyond it is scored from the latest ones. */
  static final int MAX_LINES = 100_000;

  private StoredCustomer() {}

  /** The customer's stored facts, or null when the customers table has no row for them. */
  static CustomerFacts facts(Store store, String customerId) {
    String sql = "SELECT segment, country, marketing_consent, loyalty_member, signup_date, open_complaints, fraud_flag"
        + " FROM customers WHERE customer_id = ?";
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, customerId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Date signup = rs.getDate(5);
        int complaints = rs.getInt(6);
        Integer open = rs.wasNull() ? null : complaints;
        return new CustomerFacts(customerId, rs.getString(1), rs.getString(2), bool(rs, 3), bool(rs, 4),
            signup == null ? null : signup.toLocalDate(), open, bool(rs, 7));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the facts of customer " + customerId + ": " + e.getMessage(), e);
    }
  }

  /** The cutoff date of the customer's stored score, or null when they have none. */
  static LocalDate scoreCutoff(Store store, String customerId) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT cutoff_date FROM scores WHERE customer_id = ?")) {
      ps.setString(1, customerId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getDate(1) != null ? rs.getDate(1).toLocalDate() : null;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the score of customer " + customerId + ": " + e.getMessage(), e);
    }
  }

  /** The customer's stored order lines up to {@code cutoff} (inclusive), the latest {@value #MAX_LINES} at most. */
  static List<Transaction> transactions(Store store, String customerId, LocalDate cutoff) {
    String sql = "SELECT order_id, order_ts, product_id, quantity, unit_price, currency, country, is_outlier"
        + " FROM transactions WHERE customer_id = ? AND order_ts < ? ORDER BY order_ts DESC";
    List<Transaction> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, customerId);
      ps.setObject(2, cutoff.plusDays(1).atStartOfDay());
      ps.setMaxRows(MAX_LINES);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BigDecimal q = rs.getBigDecimal(4);
          BigDecimal p = rs.getBigDecimal(5);
          out.add(new Transaction(0, 0, customerId, rs.getString(1), rs.getObject(2, LocalDateTime.class),
              rs.getString(3), null, q, p, q.multiply(p), rs.getString(6), rs.getString(7), q.signum() < 0,
              rs.getBoolean(8), out.size() + 1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the transactions of customer " + customerId + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static Boolean bool(ResultSet rs, int col) throws SQLException {
    boolean v = rs.getBoolean(col);
    return rs.wasNull() ? null : v;
  }
}
