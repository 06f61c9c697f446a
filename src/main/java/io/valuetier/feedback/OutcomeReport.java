package io.valuetier.feedback;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the actions did, per tier and action, against their control groups: among decisions with a known outcome, the
 * treated customers (who got the action) and the control customers (held out of the same action in the same tier),
 * their response rate, purchase rate and revenue per customer, and the uplift of purchase rate and revenue with 95%
 * confidence intervals (Newcombe's hybrid score interval; Welch's interval).
 */
public final class OutcomeReport {
  private OutcomeReport() {}

  /** One tier and action. */
  public record Row(
      String tier,
      String action,
      long treated,
      long control,
      @JsonProperty("response_rate") double responseRate,
      @JsonProperty("purchase_rate") double purchaseRate,
      @JsonProperty("control_purchase_rate") double controlPurchaseRate,
      @JsonProperty("purchase_uplift") Uplift.Difference purchaseUplift,
      @JsonProperty("revenue_per_customer") double revenuePerCustomer,
      @JsonProperty("control_revenue_per_customer") double controlRevenuePerCustomer,
      @JsonProperty("revenue_uplift") Uplift.Difference revenueUplift) {}

  private static final class Cell {
    long n;
    long responders;
    long buyers;
    double revenue;
    double revenueSq;
  }

  /** The rows per tier and action for the decisions of run {@code runId}, or of all runs when it is null. */
  public static List<Row> compute(Store store, Long runId) {
    return compute(store, runId, true);
  }

  /**
   * The rows per tier and action ({@code byTier}), or per action over all tiers (tier {@code "all"}): the pooled
   * estimate, tighter, right when the effect of an action does not depend on the tier.
   */
  public static List<Row> compute(Store store, Long runId, boolean byTier) {
    Map<String, Cell[]> cells = new TreeMap<>();
    String tier = byTier ? "d.value_tier" : "'all'";
    String sql =
        "SELECT " + tier + ", d.action_code, d.control_group, COUNT(*),"
            + " SUM(CASE WHEN o.responded THEN 1 ELSE 0 END), SUM(CASE WHEN o.purchased THEN 1 ELSE 0 END),"
            + " SUM(o.revenue), SUM(o.revenue * o.revenue)"
            + " FROM decisions d JOIN outcomes o ON o.decision_id = d.decision_id"
            + (runId == null ? "" : " WHERE d.run_id = ?")
            + (byTier ? " GROUP BY d.value_tier, d.action_code, d.control_group"
                : " GROUP BY d.action_code, d.control_group");
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (runId != null) {
        ps.setLong(1, runId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "\u0000" + rs.getString(2);
          Cell cell = new Cell();
          cell.n = rs.getLong(4);
          cell.responders = rs.getLong(5);
          cell.buyers = rs.getLong(6);
          cell.revenue = rs.getDouble(7);
          cell.revenueSq = rs.getDouble(8);
          cells.computeIfAbsent(key, k -> new Cell[2])[rs.getBoolean(3) ? 1 : 0] = cell;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read decisions and outcomes: " + e.getMessage(), e);
    }
    List<Row> rows = new ArrayList<>();
    cells.forEach((key, pair) -> {
      String[] k = key.split("\u0000", 2);
      Cell t = pair[0] == null ? new Cell() : pair[0];
      Cell ctl = pair[1] == null ? new Cell() : pair[1];
      double tMean = t.n == 0 ? 0 : t.revenue / t.n;
      double cMean = ctl.n == 0 ? 0 : ctl.revenue / ctl.n;
      rows.add(new Row(
          k[0], k[1], t.n, ctl.n,
          t.n == 0 ? 0 : (double) t.responders / t.n,
          t.n == 0 ? 0 : (double) t.buyers / t.n,
          ctl.n == 0 ? 0 : (double) ctl.buyers / ctl.n,
          Uplift.responseRate(t.buyers, t.n, ctl.buyers, ctl.n),
          tMean,
          cMean,
          Uplift.meanDifference(tMean, variance(t), t.n, cMean, variance(ctl), ctl.n)));
    });
    return rows;
  }

  private static double variance(Cell c) {
    if (c.n < 2) {
      return 0;
    }
    double mean = c.revenue / c.n;
    return Math.max(0, (c.revenueSq - c.n * mean * mean) / (c.n - 1));
  }

  /** The rows as a table in words. */
  public static String text(List<Row> rows) {
    if (rows.isEmpty()) {
      return "no outcomes yet: ingest them with `valuetier outcomes ingest FILE`\n";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %-22s %8s %8s %9s %9s %9s %24s %10s %10s %26s%n", "tier", "action",
        "treated", "control", "response", "purchase", "ctl purch", "purchase uplift [95% CI]", "rev/cust", "ctl rev",
        "revenue uplift [95% CI]"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-10s %-22s %8d %8d %8.1f%% %8.1f%% %8.1f%% %24s %10.2f %10.2f %26s%n",
          r.tier(), r.action(), r.treated(), r.control(), 100 * r.responseRate(), 100 * r.purchaseRate(),
          100 * r.controlPurchaseRate(), pp(r.purchaseUplift()), r.revenuePerCustomer(), r.controlRevenuePerCustomer(),
          money(r.revenueUplift())));
    }
    sb.append("(uplift = treated minus control; no control group, no uplift: '-')\n");
    return sb.toString();
  }

  private static String pp(Uplift.Difference d) {
    if (Double.isNaN(d.estimate())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%+.1f pp [%+.1f, %+.1f]%s", 100 * d.estimate(), 100 * d.low(), 100 * d.high(),
        d.significant() ? " *" : "");
  }

  private static String money(Uplift.Difference d) {
    if (Double.isNaN(d.low())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]%s", d.estimate(), d.low(), d.high(),
        d.significant() ? " *" : "");
  }
}
