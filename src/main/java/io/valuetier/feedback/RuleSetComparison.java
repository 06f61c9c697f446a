package io.valuetier.feedback;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Champion against challenger: the decisions of one run per rule set (role and version) — customers, tier mix, action
 * counts, control-group hold-outs, contacts, offer cost, predicted value — and, once outcomes are known, the response
 * rate and revenue per customer with 95% confidence intervals, and the difference challenger minus champion.
 *
 * <p>Every customer a rule set decided counts for it, held-out control-group customers included: both rule sets hold
 * out the same share, so the comparison is between two policies as a whole (intention to treat).
 */
public final class RuleSetComparison {
  private RuleSetComparison() {}

  /** An estimate with its 95% confidence interval (no bounds when there are too few customers). */
  public record Estimate(double estimate, Double low, Double high) {
    Estimate(double estimate, double low, double high) {
      this(estimate, Double.isNaN(low) ? null : (Double) low, Double.isNaN(high) ? null : (Double) high);
    }
  }

  /** The outcomes known for the customers of one rule set. */
  public record Outcomes(
      long customers,
      long responders,
      @JsonProperty("response_rate") Estimate responseRate,
      @JsonProperty("purchase_rate") double purchaseRate,
      @JsonProperty("revenue_per_customer") Estimate revenuePerCustomer) {}

  /** One rule set of the run. */
  public record Group(
      String role,
      String version,
      long customers,
      @JsonProperty("tiers") Map<String, Long> tiers,
      @JsonProperty("tier_share") Map<String, Double> tierShare,
      Map<String, Long> actions,
      @JsonProperty("control_group") long controlGroup,
      long contacts,
      @JsonProperty("offer_cost") BigDecimal offerCost,
      @JsonProperty("predicted_value") BigDecimal predictedValue,
      Outcomes outcomes) {}

  /** The comparison of one run. */
  public record Comparison(
      @JsonProperty("run_id") long runId,
      long decisions,
      @JsonProperty("rule_sets") List<Group> ruleSets,
      @JsonProperty("response_rate_difference") Uplift.Difference responseRateDifference,
      @JsonProperty("revenue_per_customer_difference") Uplift.Difference revenueDifference) {}

  /** The latest batch run (or, without one, the latest run with decisions); 0 when nothing was decided yet. */
  public static long latestRun(Store store) {
    long batch = store.queryLong("SELECT COALESCE(MAX(run_id), 0) FROM decision_runs WHERE kind = 'BATCH'");
    return batch > 0 ? batch : store.queryLong("SELECT COALESCE(MAX(run_id), 0) FROM decisions");
  }

  private static final class Acc {
    long customers;
    final Map<String, Long> tiers = new TreeMap<>();
    final Map<String, Long> actions = new TreeMap<>();
    long control;
    long contacts;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal value = BigDecimal.ZERO;
    long withOutcome;
    long responders;
    long buyers;
    double revenue;
    double revenueSq;
  }

  /** The comparison of decision run {@code runId}. */
  public static Comparison compute(Store store, long runId) {
    Map<String, Acc> groups = new TreeMap<>(); // "role\0version", champion before challenger
    String decisions =
        "SELECT rule_set_role, rule_set, value_tier, action_code, control_group, COUNT(*),"
            + " SUM(CASE WHEN channel IS NOT NULL AND control_group = FALSE THEN 1 ELSE 0 END),"
            + " COALESCE(SUM(offer_cost), 0), COALESCE(SUM(predicted_value), 0)"
            + " FROM decisions WHERE run_id = ?"
            + " GROUP BY rule_set_role, rule_set, value_tier, action_code, control_group";
    String outcomes =
        "SELECT d.rule_set_role, d.rule_set, COUNT(*), SUM(CASE WHEN o.responded THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN o.purchased THEN 1 ELSE 0 END), SUM(o.revenue), SUM(o.revenue * o.revenue)"
            + " FROM decisions d JOIN outcomes o ON o.decision_id = d.decision_id WHERE d.run_id = ?"
            + " GROUP BY d.rule_set_role, d.rule_set";
    long total = 0;
    try (Connection c = store.connection()) {
      try (PreparedStatement ps = c.prepareStatement(decisions)) {
        ps.setLong(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Acc a = groups.computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new Acc());
            long n = rs.getLong(6);
            total += n;
            a.customers += n;
            a.tiers.merge(String.valueOf(rs.getString(3)), n, Long::sum);
            a.actions.merge(String.valueOf(rs.getString(4)), n, Long::sum);
            if (rs.getBoolean(5)) {
              a.control += n;
            }
            a.contacts += rs.getLong(7);
            a.cost = a.cost.add(rs.getBigDecimal(8));
            a.value = a.value.add(rs.getBigDecimal(9));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(outcomes)) {
        ps.setLong(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Acc a = groups.computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new Acc());
            a.withOutcome += rs.getLong(3);
            a.responders += rs.getLong(4);
            a.buyers += rs.getLong(5);
            a.revenue += rs.getDouble(6);
            a.revenueSq += rs.getDouble(7);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot compare the rule sets of decision run " + runId + ": " + e.getMessage(), e);
    }
    List<Group> out = new ArrayList<>();
    Acc champion = new Acc();
    Acc challenger = new Acc();
    for (var e : groups.entrySet()) {
      String[] k = e.getKey().split("\u0000", 2);
      Acc a = e.getValue();
      out.add(group(k[0].substring(1), k[1], a));
      Acc role = k[0].substring(1).equals(Challenger.CHALLENGER) ? challenger : champion;
      role.withOutcome += a.withOutcome;
      role.responders += a.responders;
      role.revenue += a.revenue;
      role.revenueSq += a.revenueSq;
    }
    Uplift.Difference rate = Uplift.responseRate(
        challenger.responders, challenger.withOutcome, champion.responders, champion.withOutcome);
    Uplift.Difference revenue = Uplift.meanDifference(
        mean(challenger), variance(challenger), challenger.withOutcome,
        mean(champion), variance(champion), champion.withOutcome);
    return new Comparison(runId, total, out, Double.isNaN(rate.estimate()) ? null : rate,
        challenger.withOutcome == 0 || champion.withOutcome == 0 || Double.isNaN(revenue.low()) ? null : revenue);
  }

  /** Sorts the champion first ("0champion"), then the challenger ("1challenger"), then anything else. */
  private static String key(String role, String version) {
    String r = role == null ? Challenger.CHAMPION : role;
    int order = r.equals(Challenger.CHAMPION) ? 0 : r.equals(Challenger.CHALLENGER) ? 1 : 2;
    return order + r + "\u0000" + version;
  }

  private static Group group(String role, String version, Acc a) {
    Map<String, Double> share = new LinkedHashMap<>();
    a.tiers.forEach((t, n) -> share.put(t, a.customers == 0 ? 0 : n / (double) a.customers));
    Outcomes o = null;
    if (a.withOutcome > 0) {
      double[] w = Uplift.wilson(a.responders, a.withOutcome);
      double m = mean(a);
      double half = a.withOutcome < 2 ? Double.NaN
          : Uplift.tQuantile975(a.withOutcome - 1) * Math.sqrt(variance(a) / a.withOutcome);
      o = new Outcomes(a.withOutcome, a.responders,
          new Estimate(a.responders / (double) a.withOutcome, w[0], w[1]),
          a.buyers / (double) a.withOutcome,
          new Estimate(m, m - half, m + half));
    }
    return new Group(role, version, a.customers, a.tiers, share, a.actions, a.control, a.contacts, a.cost, a.value, o);
  }

  private static double mean(Acc a) {
    return a.withOutcome == 0 ? 0 : a.revenue / a.withOutcome;
  }

  private static double variance(Acc a) {
    if (a.withOutcome < 2) {
      return 0;
    }
    double m = mean(a);
    return Math.max(0, (a.revenueSq - a.withOutcome * m * m) / (a.withOutcome - 1));
  }

  /** The comparison as a table in words, one column per rule set. */
  public static String text(Comparison c) {
    StringBuilder sb = new StringBuilder();
    if (c.ruleSets().isEmpty()) {
      return "decision run " + c.runId() + " has no decisions\n";
    }
    sb.append(String.format(Locale.ROOT, "Rule sets of decision run %d (%,d decisions)%n", c.runId(), c.decisions()));
    List<Group> g = c.ruleSets();
    row(sb, "", g, x -> x.role() + " " + shortId(x.version()));
    row(sb, "customers", g, x -> String.format(Locale.ROOT, "%,d (%.1f%%)", x.customers(),
        100.0 * x.customers() / Math.max(1, c.decisions())));
    TreeMap<String, Boolean> tiers = new TreeMap<>();
    TreeMap<String, Boolean> actions = new TreeMap<>();
    g.forEach(x -> {
      x.tiers().keySet().forEach(t -> tiers.put(t, true));
      x.actions().keySet().forEach(t -> actions.put(t, true));
    });
    sb.append("tier mix\n");
    for (String t : tiers.keySet()) {
      row(sb, "  " + t, g, x -> String.format(Locale.ROOT, "%.1f%% (%,d)",
          100 * x.tierShare().getOrDefault(t, 0.0), x.tiers().getOrDefault(t, 0L)));
    }
    sb.append("actions\n");
    for (String a : actions.keySet()) {
      row(sb, "  " + a, g, x -> String.format(Locale.ROOT, "%,d", x.actions().getOrDefault(a, 0L)));
    }
    row(sb, "held out (control)", g, x -> String.format(Locale.ROOT, "%,d", x.controlGroup()));
    row(sb, "contacts", g, x -> String.format(Locale.ROOT, "%,d", x.contacts()));
    row(sb, "offer cost", g, x -> x.offerCost().toPlainString());
    row(sb, "predicted value", g, x -> x.predictedValue().toPlainString());
    row(sb, "  per customer", g, x -> String.format(Locale.ROOT, "%.2f",
        x.customers() == 0 ? 0 : x.predictedValue().doubleValue() / x.customers()));
    sb.append("outcomes\n");
    row(sb, "  customers", g, x -> x.outcomes() == null ? "none yet" : String.format(Locale.ROOT, "%,d",
        x.outcomes().customers()));
    row(sb, "  response rate", g, x -> x.outcomes() == null ? "-" : interval(x.outcomes().responseRate(), 100, "%"));
    row(sb, "  revenue/customer", g, x -> x.outcomes() == null ? "-" : interval(x.outcomes().revenuePerCustomer(), 1, ""));
    Uplift.Difference r = c.responseRateDifference();
    Uplift.Difference v = c.revenueDifference();
    if (r == null) {
      sb.append("challenger - champion: needs outcomes of both rule sets (`valuetier outcomes ingest FILE`)\n");
    } else {
      sb.append(String.format(Locale.ROOT, "challenger - champion: response rate %+.1f pp [%+.1f, %+.1f]%s,"
              + " revenue per customer %s%n", 100 * r.estimate(), 100 * r.low(), 100 * r.high(),
          r.significant() ? " (significant)" : "",
          v == null ? "-"
              : String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]%s", v.estimate(), v.low(), v.high(),
                  v.significant() ? " (significant)" : "")));
      sb.append("(95% intervals: Wilson / Newcombe for rates, Student / Welch for revenue)\n");
    }
    return sb.toString();
  }

  private static String interval(Estimate e, double scale, String unit) {
    String point = String.format(Locale.ROOT, scale == 100 ? "%.1f" : "%.2f", scale * e.estimate()) + unit;
    if (e.low() == null) {
      return point;
    }
    return point + String.format(Locale.ROOT, scale == 100 ? " [%.1f, %.1f]" : " [%.2f, %.2f]", scale * e.low(),
        scale * e.high());
  }

  private static String shortId(String version) {
    return version == null ? "?" : version.length() > 16 ? version.substring(0, 16) : version;
  }

  private static void row(StringBuilder sb, String label, List<Group> g, Function<Group, String> f) {
    sb.append(String.format(Locale.ROOT, "%-22s", label));
    for (Group x : g) {
      sb.append(String.format(Locale.ROOT, " %30s", f.apply(x)));
    }
    sb.append('\n');
  }
}
