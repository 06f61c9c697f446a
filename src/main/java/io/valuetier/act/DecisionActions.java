package io.valuetier.act;

import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The recommended actions of one decision run, read from the store in pages of decision ids (no cursor is held
 * open while the publish route delivers them), in decision-id order.
 */
public final class DecisionActions implements Iterator<ActionRecord> {
  private static final int PAGE = 5000;
  static final String SQL =
      "SELECT r.decision_id, r.customer_id, o.value_tier, o.action_code, o.channel, o.offer, o.priority,"
          + " r.predicted_value, o.reasons, o.rule_set, o.model_id, o.model_version, r.decided_at, r.control_group"
          + " FROM decision_rows r JOIN decision_outcomes o ON o.outcome_id = r.outcome_id"
          + " WHERE r.decision_id > ? AND r.decision_id < ? AND r.run_id = ? ORDER BY r.decision_id";

  private final Store store;
  private final long runId;
  private final Deque<ActionRecord> page = new ArrayDeque<>();
  private long after;
  private final long end;
  private boolean exhausted;

  public DecisionActions(Store store, long runId) {
    this.store = store;
    this.runId = runId;
    // a run's decision ids lie in [firstDecisionId(run), firstDecisionId(run + 1)): every page is a key range of the
    // primary key, so it reads its own rows, not the earlier runs' nor the whole run sorted again
    this.after = DecisionLog.firstDecisionId(runId) - 1;
    this.end = DecisionLog.firstDecisionId(runId + 1);
  }

  private void fill() {
    if (!page.isEmpty() || exhausted) {
      return;
    }
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setLong(1, after);
      ps.setLong(2, end);
      ps.setLong(3, runId);
      ps.setMaxRows(PAGE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          after = id;
          Timestamp at = rs.getTimestamp(13);
          String model = rs.getString(11);
          String version = rs.getString(12);
          int priority = rs.getInt(7);
          if (rs.wasNull()) {
            priority = 0;
          }
          page.add(
              new ActionRecord(
                  Long.toString(id),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4) == null ? "NONE" : rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  priority,
                  rs.getBigDecimal(8),
                  rs.getString(9),
                  rs.getString(10),
                  model == null ? null : version == null ? model : model + "@" + version,
                  at == null ? null : at.toInstant(),
                  rs.getBoolean(14)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the decisions of run " + runId + ": " + e.getMessage(), e);
    }
    exhausted = page.isEmpty();
  }

  @Override
  public boolean hasNext() {
    fill();
    return !page.isEmpty();
  }

  @Override
  public ActionRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.poll();
  }
}
