package io.valuetier.store;

import io.valuetier.records.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcomes of decisions: one row per decision (a later outcome of the same decision, for example after a longer
 * observation window, replaces the earlier one), and the lookups that check an outcome against its decision.
 */
public final class OutcomeStore {
  private static final String COLUMNS =
      "decision_id,customer_id,responded,purchased,revenue,window_days,observed_at,source_id,line_no,updated_at";

  private final Store store;

  public OutcomeStore(Store store) {
    this.store = store;
  }

  /** The customer of each of these decision ids that the store holds (absent ids are unknown decisions). */
  public Map<Long, String> decisionCustomers(Collection<Long> ids) {
    Map<Long, String> found = new HashMap<>();
    List<Long> list = new ArrayList<>(ids);
    int group = store.inList();
    try (Connection c = store.connection()) {
      for (int from = 0; from < list.size(); from += group) {
        int to = Math.min(list.size(), from + group);
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT decision_id, customer_id FROM decisions WHERE decision_id IN (" + "?,".repeat(to - from - 1) + "?)")) {
          for (int i = from; i < to; i++) {
            ps.setLong(i - from + 1, list.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.put(rs.getLong(1), rs.getString(2));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot look up decisions: " + e.getMessage(), e);
    }
    return found;
  }

  /** Inserts or replaces the outcomes (by decision id). */
  public void upsert(List<Outcome> rows, int sourceId) {
    if (rows.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        List<Long> ids = rows.stream().map(Outcome::decisionId).toList();
        // Replace: delete the earlier outcomes of these decisions, then insert (the same on H2 and MySQL).
        int group = store.inList();
        for (int from = 0; from < ids.size(); from += group) {
          int to = Math.min(ids.size(), from + group);
          try (PreparedStatement ps = c.prepareStatement(
              "DELETE FROM outcomes WHERE decision_id IN (" + "?,".repeat(to - from - 1) + "?)")) {
            for (int i = from; i < to; i++) {
              ps.setLong(i - from + 1, ids.get(i));
            }
            ps.executeUpdate();
          }
        }
        new MultiRowInsert("INSERT", "outcomes", COLUMNS, 200).insert(c, rows, (ps, i, o) -> {
          ps.setLong(i, o.decisionId());
          ps.setString(i + 1, o.customerId());
          ps.setBoolean(i + 2, o.responded());
          ps.setBoolean(i + 3, o.purchased());
          ps.setBigDecimal(i + 4, o.revenue());
          if (o.windowDays() == null) {
            ps.setNull(i + 5, Types.INTEGER);
          } else {
            ps.setInt(i + 5, o.windowDays());
          }
          if (o.observedAt() == null) {
            ps.setNull(i + 6, Types.TIMESTAMP);
          } else {
            ps.setTimestamp(i + 6, Timestamp.valueOf(o.observedAt()));
          }
          ps.setInt(i + 7, sourceId);
          ps.setLong(i + 8, o.line());
          ps.setTimestamp(i + 9, now);
        });
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store " + rows.size() + " outcomes: " + e.getMessage(), e);
    }
  }
}
