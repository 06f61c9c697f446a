package io.valuetier.decide.trace;

import io.valuetier.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision run's decisions counted by outcome and control group, in one pass over the run's own rows: what the
 * report and the monitor read of a run, at a cost that does not grow with the runs kept.
 */
public final class DecisionCounts {
  private static final String FIGURES = "the decision run's counts";

  private DecisionCounts() {}

  /**
   * The run's decisions counted by outcome and control group, with the outcome's fields: the source of the report's per-run
   * figures and of the decision-shift monitor. One pass over the run's own rows (its range of decision ids, so the cost does not grow with
   * the runs kept), joined in memory with its few distinct outcomes (each stored once).
   */
  public record Counted(String ruleSet, String tier, String action, String channel, String offer, Double offerCost,
      String serviceLevel, String guardrails, String matchedRows, boolean controlGroup, long decisions,
      double predictedValue, long withInterval, double lowSum, double highSum) {}

  /** The run's decision rows counted by outcome (parameters: the run's first decision id, the next run's, the run). */
  public static final String RUN_COUNTS =
      "SELECT outcome_id, control_group, COUNT(*), SUM(predicted_value), COUNT(predicted_value_low),"
          + " SUM(predicted_value_low), SUM(predicted_value_high) FROM decision_rows"
          + " WHERE decision_id >= ? AND decision_id < ? AND run_id = ? GROUP BY outcome_id, control_group";

  public static List<Counted> of(Store store, long run) {
    record Group(long outcome, boolean control, long n, double predicted, long withInterval, double low, double high) {}
    List<Group> groups = new ArrayList<>();
    store.forEachRow(FIGURES, RUN_COUNTS,
        rs -> groups.add(new Group(rs.getLong(1), rs.getBoolean(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5),
            rs.getDouble(6), rs.getDouble(7))),
        DecisionLog.firstDecisionId(run), DecisionLog.firstDecisionId(run + 1), run);
    Map<Long, String[]> outcomes = new HashMap<>();
    Map<Long, Double> costs = new HashMap<>();
    List<Long> ids = groups.stream().map(Group::outcome).distinct().toList();
    for (int from = 0; from < ids.size(); from += 500) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + 500));
      store.forEachRow(FIGURES,
          "SELECT outcome_id, rule_set, value_tier, action_code, channel, offer, service_level, guardrails,"
              + " matched_rows, offer_cost FROM decision_outcomes WHERE outcome_id IN ("
              + "?,".repeat(part.size() - 1) + "?)",
          rs -> {
            String[] f = new String[8];
            for (int i = 0; i < f.length; i++) {
              f[i] = rs.getString(i + 2);
            }
            outcomes.put(rs.getLong(1), f);
            double cost = rs.getDouble(10);
            costs.put(rs.getLong(1), rs.wasNull() ? null : cost);
          }, part.toArray());
    }
    List<Counted> out = new ArrayList<>();
    for (Group g : groups) {
      String[] f = outcomes.get(g.outcome());
      if (f == null) {
        throw new IllegalStateException("decision outcome " + g.outcome() + " of run " + run + " is missing");
      }
      out.add(new Counted(f[0], f[1], f[2], f[3], f[4], costs.get(g.outcome()), f[5], f[6], f[7], g.control(), g.n(),
          g.predicted(), g.withInterval(), g.low(), g.high()));
    }
    return out;
  }
}
