package io.valuetier.bench;

import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.CsvCell;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a synthetic outcomes file for a decision run, with a known effect per action, so that the feedback loop can
 * be shown on the bundled public data (which has no marketing outcomes) and tested against a known truth. Nothing
 * else reads it: it goes in through the same route as real outcomes.
 *
 * <p>The process, per decision (seeded):
 *
 * <ul>
 *   <li>base chance to buy in the window: {@code baseRate x probability_active} of the customer's score (0.5 x p when
 *       the score is missing);
 *   <li>a customer who got the action (not held out as control, with a channel) buys with that chance plus the
 *       action's effect in percentage points ({@code effects}, else {@code defaultEffect}), capped to [0, 1]; a
 *       control-group customer and a customer without an action buy with the base chance;
 *   <li>a buyer spends {@code max(5, spendShare x predicted_spend)} times a log-normal factor with mean 1 (sigma 0.6);
 *   <li>responded (opened, clicked) = bought, or for a contacted customer with chance 0.15 anyway.
 * </ul>
 *
 * The true purchase uplift of an action is therefore its effect, whatever the tier, up to the caps.
 */
public final class OutcomeSimulator {
  /** What was written. */
  public record Result(long decisionRun, long lines, long treated, long control, long buyers) {}

  private final double baseRate;
  private final double spendShare;
  private final double defaultEffect;
  private final Map<String, Double> effects;
  private final long seed;

  public OutcomeSimulator(double baseRate, double spendShare, double defaultEffect, Map<String, Double> effects, long seed) {
    this.baseRate = baseRate;
    this.spendShare = spendShare;
    this.defaultEffect = defaultEffect;
    this.effects = Map.copyOf(effects);
    this.seed = seed;
  }

  /** The effect in purchase probability of {@code action} on a treated customer. */
  public double effect(String action) {
    return action == null ? 0 : effects.getOrDefault(action.toUpperCase(Locale.ROOT), defaultEffect);
  }

  /** The latest decision run, or -1 when there is none. */
  public static long latestRun(Store store) {
    return store.queryLong("SELECT COALESCE(MAX(run_id), -1) FROM decisions");
  }

  /** Writes the outcomes of every decision of {@code runId} to {@code file}, observed at {@code observedAt}. */
  public Result write(Store store, long runId, Path file, LocalDate observedAt, int windowDays) {
    String sql =
        "SELECT d.decision_id, d.customer_id, d.action_code, d.channel, d.control_group, s.probability_active,"
            + " s.predicted_spend FROM decisions d LEFT JOIN scores s ON s.customer_id = d.customer_id"
            + " WHERE d.run_id = ? ORDER BY d.decision_id";
    long lines = 0, treated = 0, control = 0, buyers = 0;
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ps.setLong(1, runId);
      w.write("decision_id,customer_id,responded,purchased,revenue,window_days,observed_at\n");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          // seeded by customer, not by decision id: decision ids depend on the order the batch decided in
          SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ rs.getString(2).hashCode());
          String action = rs.getString(3);
          boolean contacted = rs.getString(4) != null;
          boolean isControl = rs.getBoolean(5);
          double pActive = rs.getObject(6) == null ? 0.5 : rs.getDouble(6);
          double spend = rs.getObject(7) == null ? 0 : rs.getDouble(7);
          double p = baseRate * pActive;
          boolean gotAction = contacted && !isControl;
          if (gotAction) {
            p += effect(action);
            treated++;
          } else if (isControl) {
            control++;
          }
          p = Math.min(1, Math.max(0, p));
          boolean bought = rnd.nextDouble() < p;
          double revenue = 0;
          if (bought) {
            buyers++;
            double sigma = 0.6;
            revenue = Math.max(5, spendShare * spend) * Math.exp(sigma * rnd.nextGaussian() - sigma * sigma / 2);
          }
          boolean responded = bought || (gotAction && rnd.nextDouble() < 0.15);
          // an input file for `outcomes ingest`: ids kept exact (not neutralised), quoted as RFC 4180 requires
          w.write(id + "," + CsvCell.quoted(rs.getString(2)) + "," + (responded ? "yes" : "no") + "," + (bought ? "yes" : "no") + ","
              + String.format(Locale.ROOT, "%.2f", revenue) + "," + windowDays + "," + observedAt + "\n");
          lines++;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the decisions of run " + runId + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return new Result(runId, lines, treated, control, buyers);
  }
}
