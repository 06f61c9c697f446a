package io.valuetier.monitor;

import io.valuetier.feedback.PopulationStability;
import io.valuetier.records.Finding;
import io.valuetier.decide.trace.DecisionCounts;
import io.valuetier.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the decisions moved between the last two batch decision runs: the tier mix (PSI over the tiers' customer
 * counts) and the hit rate of every DMN rule row ({@code decisions.matched_rows}) and guardrail
 * ({@code decisions.guardrails}), as the share of the run's decisions it touched.
 *
 * @param previousRun the earlier run
 * @param currentRun the later run
 * @param previousDecisions decisions of the earlier run
 * @param currentDecisions decisions of the later run
 * @param previousTiers customers per tier, earlier run
 * @param currentTiers customers per tier, later run
 * @param tierPsi PSI of the tier mix
 * @param hits every rule row ({@code decision#row}) and guardrail ({@code guardrail:CODE}) hit in either run
 */
public record DecisionShift(
    long previousRun,
    long currentRun,
    long previousDecisions,
    long currentDecisions,
    Map<String, Long> previousTiers,
    Map<String, Long> currentTiers,
    double tierPsi,
    List<HitRate> hits) {
  private static final String DECISIONS = "the decisions for monitoring";

  /**
   * One rule row or guardrail.
   *
   * @param key {@code decision#row} or {@code guardrail:CODE}
   * @param previous share of the earlier run's decisions
   * @param current share of the later run's decisions
   */
  public record HitRate(String key, double previous, double current) {
    public double points() {
      return 100 * (current - previous);
    }
  }

  /** The shift between the last two finished batch runs, if there are two. */
  public static Optional<DecisionShift> latest(Store store) {
    List<Long> runs = new ArrayList<>();
    store.forEachRow(DECISIONS,
        "SELECT run_id FROM decision_runs WHERE kind = 'BATCH' AND finished_at IS NOT NULL AND decisions > 0 "
        + "ORDER BY run_id DESC LIMIT 2", rs -> runs.add(rs.getLong(1)));
    if (runs.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(between(store, runs.get(1), runs.get(0)));
  }

  /** The shift from run {@code previous} to run {@code current}. */
  public static DecisionShift between(Store store, long previous, long current) {
    // each run counted once, by outcome, over its own rows (not the decisions view of every run kept)
    List<DecisionCounts.Counted> before = DecisionCounts.of(store, previous);
    List<DecisionCounts.Counted> now = DecisionCounts.of(store, current);
    Map<String, Long> pt = tiers(before);
    Map<String, Long> ct = tiers(now);
    long pn = pt.values().stream().mapToLong(Long::longValue).sum();
    long cn = ct.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> ph = hits(before);
    Map<String, Long> ch = hits(now);
    TreeSet<String> keys = new TreeSet<>(ph.keySet());
    keys.addAll(ch.keySet());
    List<HitRate> rates = new ArrayList<>();
    for (String k : keys) {
      rates.add(new HitRate(k, pn == 0 ? 0 : (double) ph.getOrDefault(k, 0L) / pn,
          cn == 0 ? 0 : (double) ch.getOrDefault(k, 0L) / cn));
    }
    return new DecisionShift(previous, current, pn, cn, pt, ct, PopulationStability.categorical(pt, ct), rates);
  }

  private static Map<String, Long> tiers(List<DecisionCounts.Counted> counted) {
    Map<String, Long> m = new TreeMap<>();
    for (DecisionCounts.Counted c : counted) {
      m.merge(String.valueOf(c.tier()), c.decisions(), Long::sum);
    }
    return m;
  }

  private static Map<String, Long> hits(List<DecisionCounts.Counted> counted) {
    Map<String, Long> m = new TreeMap<>();
    for (DecisionCounts.Counted c : counted) {
      if (c.matchedRows() != null) {
        for (String r : c.matchedRows().split(";")) {
          if (!r.isBlank()) {
            m.merge(r.trim(), c.decisions(), Long::sum);
          }
        }
      }
      if (c.guardrails() != null) {
        for (String g : c.guardrails().split("\\+")) {
          if (!g.isBlank()) {
            m.merge("guardrail:" + g.trim(), c.decisions(), Long::sum);
          }
        }
      }
    }
    return m;
  }

  List<Finding> findings(MonitorSettings s) {
    List<Finding> out = new ArrayList<>();
    if (tierPsi > s.tierPsiWarn()) {
      out.add(new Finding(Finding.WARN, "decisions", "tier_mix", tierPsi, s.tierPsiWarn(),
          "valuetier.monitor.decisions.tier-psi-warn",
          String.format(Locale.ROOT, "the tier mix shifted between decision runs %d and %d: PSI %.3f > %.2f "
              + "(valuetier.monitor.decisions.tier-psi-warn); %s -> %s", previousRun, currentRun, tierPsi,
              s.tierPsiWarn(), previousTiers, currentTiers)));
    } else if (tierPsi > s.psiNotice()) {
      out.add(new Finding(Finding.NOTICE, "decisions", "tier_mix", tierPsi, s.psiNotice(),
          "valuetier.monitor.psi.notice",
          String.format(Locale.ROOT, "the tier mix moved moderately between decision runs %d and %d: PSI %.3f > %.2f",
              previousRun, currentRun, tierPsi, s.psiNotice())));
    }
    for (HitRate h : hits) {
      if (Math.abs(h.points()) > s.hitRatePoints()) {
        out.add(new Finding(Finding.WARN, "decisions", h.key(), h.points(), s.hitRatePoints(),
            "valuetier.monitor.decisions.hit-rate-points",
            String.format(Locale.ROOT, "%s hit %.1f%% of decisions in run %d and %.1f%% in run %d: %+.1f points, more "
                + "than %.1f (valuetier.monitor.decisions.hit-rate-points)", h.key(), 100 * h.previous(), previousRun,
                100 * h.current(), currentRun, h.points(), s.hitRatePoints())));
      }
    }
    return out;
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("previous_run", previousRun);
    m.put("current_run", currentRun);
    m.put("previous_decisions", previousDecisions);
    m.put("current_decisions", currentDecisions);
    m.put("previous_tiers", previousTiers);
    m.put("current_tiers", currentTiers);
    m.put("tier_psi", tierPsi);
    List<Map<String, Object>> h = new ArrayList<>();
    for (HitRate r : hits) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("key", r.key());
      x.put("previous_rate", r.previous());
      x.put("current_rate", r.current());
      x.put("change_points", r.points());
      h.add(x);
    }
    m.put("hit_rates", h);
    return m;
  }
}
