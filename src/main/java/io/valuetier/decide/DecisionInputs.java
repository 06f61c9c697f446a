package io.valuetier.decide;

import io.valuetier.store.IdRange;
import io.valuetier.model.picks.PicksService;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads what deciding needs from the store (H2 or MySQL): each scored customer's latest score (with the model's
 * reasons) joined with the customer's facts, and the marketing contacts delivered within the contact-fatigue window.
 */
public final class DecisionInputs {
  private static final String INPUT_QUERY =
      "SELECT s.customer_id, s.model_id, s.model_version, s.predicted_spend, s.value_percentile, s.probability_active,"
          + " s.cold_start, s.tenure_days, s.returns_ratio, c.marketing_consent, c.loyalty_member, c.open_complaints,"
          + " c.fraud_flag, c.country, c.segment, s.reason_1, s.reason_2, s.reason_3, s.predicted_spend_low,"
          + " s.predicted_spend_high"
          + " FROM scores s LEFT JOIN customers c ON c.customer_id = s.customer_id";
  private static final String RECENT_CONTACTS =
      "SELECT COUNT(*) FROM contact_log WHERE customer_id = ? AND delivered_at >= ?";
  /**
   * One customer's input and recent contacts in one statement (the API reads one per request: a statement fewer
   * is about a twentieth of a request's CPU on H2).
   */
  private static final String ONE_INPUT =
      INPUT_QUERY.replace(" FROM scores s", ", (SELECT COUNT(*) FROM contact_log k WHERE k.customer_id = s.customer_id"
          + " AND k.delivered_at >= ?) FROM scores s") + " WHERE s.customer_id = ?";

  private final Store store;

  public DecisionInputs(Store store) {
    this.store = store;
  }

  /** Marketing contacts delivered per customer since {@code since} (the fatigue window). */
  public Map<String, Integer> recentContacts(Instant since) {
    return recentContacts(since, IdRange.ALL);
  }

  /** Marketing contacts delivered per customer of {@code range} since {@code since}. */
  public Map<String, Integer> recentContacts(Instant since, IdRange range) {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT customer_id, COUNT(*) FROM contact_log WHERE delivered_at >= ? AND "
                    + range.condition("customer_id") + " GROUP BY customer_id")) {
      ps.setTimestamp(1, Timestamp.from(since));
      Object[] bounds = range.args();
      for (int i = 0; i < bounds.length; i++) {
        ps.setObject(i + 2, bounds[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count recent contacts: " + e.getMessage(), e);
    }
    return out;
  }

  /** Marketing contacts delivered to one customer since {@code since}. */
  public int recentContacts(String customerId, Instant since) {
    return (int) store.queryLong(RECENT_CONTACTS, customerId, Timestamp.from(since));
  }

  /** Streams every scored customer with their facts (null where the CRM has none) to {@code sink}. */
  public long readInputs(Map<String, Integer> recentContacts, Consumer<DecisionInput> sink) {
    try {
      return store.stream(INPUT_QUERY, rs -> sink.accept(input(rs, recentContacts)));
    } catch (SQLException e) {
      throw new StoreException("cannot read the scored customers: " + e.getMessage(), e);
    }
  }

  /** Streams the scored customers of {@code range} with their facts to {@code sink}: a key range of the scores. */
  public long readInputs(Map<String, Integer> recentContacts, IdRange range, Consumer<DecisionInput> sink) {
    String sql = INPUT_QUERY + " WHERE " + range.condition("s.customer_id");
    try {
      return store.stream(sql, rs -> sink.accept(input(rs, recentContacts)), range.args());
    } catch (SQLException e) {
      throw new StoreException("cannot read the scored customers " + range + ": " + e.getMessage(), e);
    }
  }

  /** The input of one scored customer, or empty when the customer has no score. */
  public Optional<DecisionInput> readInput(String customerId, Instant contactsSince) {
    return readInput(customerId, contactsSince, 0).map(Known::input);
  }

  /**
   * One scored customer's input with their stored product picks, best first (at most {@code maxPicks}; the popular
   * products when they have none of their own), read on one connection; empty when the customer has no score.
   */
  public Optional<Known> readInput(String customerId, Instant contactsSince, int maxPicks) {
    try (Connection c = store.connection()) {
      DecisionInput in;
      try (PreparedStatement ps = c.prepareStatement(ONE_INPUT)) {
        ps.setTimestamp(1, Timestamp.from(contactsSince));
        ps.setString(2, customerId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          in = input(rs, Map.of()).withRecentContacts(rs.getInt(21));
        }
      }
      // on the same connection: taking a second one while holding the first deadlocks the pool under load
      List<ProductPick> picks = maxPicks > 0 ? PicksService.stored(c, customerId, maxPicks) : List.of();
      return Optional.of(new Known(in, picks));
    } catch (SQLException e) {
      throw new StoreException("cannot read customer " + customerId + ": " + e.getMessage(), e);
    }
  }

  /** A scored customer's input and product picks. */
  public record Known(DecisionInput input, List<ProductPick> picks) {}

  private static DecisionInput input(ResultSet rs, Map<String, Integer> recent) throws SQLException {
    String id = rs.getString(1);
    return new DecisionInput(
        id,
        rs.getBigDecimal(4),
        BigDecimal.valueOf(rs.getDouble(5)),
        BigDecimal.valueOf(rs.getDouble(6)),
        rs.getBoolean(7),
        rs.getString(2),
        rs.getString(3),
        BigDecimal.valueOf(rs.getInt(8)),
        BigDecimal.valueOf(rs.getDouble(9)),
        bool(rs, 10),
        bool(rs, 11),
        integer(rs, 12),
        bool(rs, 13),
        rs.getString(14),
        rs.getString(15),
        recent.getOrDefault(id, 0),
        Arrays.asList(rs.getString(16), rs.getString(17), rs.getString(18)),
        rs.getBigDecimal(19),
        rs.getBigDecimal(20));
  }

  private static Boolean bool(ResultSet rs, int col) throws SQLException {
    boolean v = rs.getBoolean(col);
    return rs.wasNull() ? null : v;
  }

  private static BigDecimal integer(ResultSet rs, int col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : BigDecimal.valueOf(v);
  }
}
