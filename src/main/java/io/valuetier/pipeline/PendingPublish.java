package io.valuetier.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valuetier.decide.BatchDecider;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.store.StoreId;
import io.valuetier.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A decision run whose actions did not all reach the destination (the endpoint was down, the database restarted
 * during publishing). When nothing it was decided from has changed, the main job finishes publishing it instead of
 * deciding again, so that a re-run after a failure delivers every action once and makes no second decision for the
 * same customers.
 *
 * @param report the run's report as stored with it
 * @param delivered actions of the run already delivered to the destination
 */
record PendingPublish(BatchDecider.Report report, long delivered) {

  /** The latest batch run, if it is complete, decided with {@code ruleSet} and not fully delivered to the destination. */
  static Optional<PendingPublish> find(Store store, String destination, String ruleSet, StoreId id) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT run_id, rule_set, finished_at, decisions, summary FROM decision_runs WHERE kind = 'BATCH'"
                    + " ORDER BY run_id DESC")) {
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getTimestamp(3) == null || !ruleSet.equals(rs.getString(2))) {
          return Optional.empty();
        }
        long runId = rs.getLong(1);
        long decisions = rs.getLong(4);
        String summary = rs.getString(5);
        if (decisions == 0 || summary == null || summary.contains("\"aborted\"")) {
          return Optional.empty();
        }
        long delivered =
            store.queryLong(
                "SELECT COUNT(*) FROM action_deliveries WHERE destination = ? AND run_id = ?",
                destination, MainJob.decisionRun(id, runId));
        if (delivered >= decisions) {
          return Optional.empty();
        }
        return Optional.of(new PendingPublish(Json.MAPPER.readValue(summary, BatchDecider.Report.class), delivered));
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException("cannot read the last decision run: " + e.getMessage(), e);
    }
  }
}
