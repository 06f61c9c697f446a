package io.valuetier.pipeline;

import io.valuetier.act.PublishService;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.ingest.IngestReport;
import io.valuetier.model.TrainingService;
import io.valuetier.report.ReportData;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Gathers what the report shows from the run's results and the store. */
final class ReportFacts {
  private ReportFacts() {}

  static ReportData gather(
      Store store,
      IngestReport ingest,
      int customersScored,
      TrainingService.Outcome trained,
      HoldoutEvaluation evaluation,
      BatchDecider.Report decided,
      PublishService.PublishReport published,
      RuleSet rules) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("rows read", String.format(Locale.ROOT, "%,d", ingest.read()));
    summary.put("accepted", String.format(Locale.ROOT, "%,d", ingest.accepted()));
    summary.put("rejected", String.format(Locale.ROOT, "%,d", ingest.rejected()));
    summary.put("customers scored", String.format(Locale.ROOT, "%,d", customersScored));
    summary.put("predicted spend, next horizon",
        String.format(Locale.ROOT, "%,.0f", (double) store.queryLong("SELECT ROUND(SUM(predicted_spend)) FROM scores")));
    summary.put("decisions", String.format(Locale.ROOT, "%,d", decided.decisions()));
    summary.put("actions published", String.format(Locale.ROOT, "%,d", published.delivered() + published.alreadyDelivered()));
    summary.put("model", trained.champion());
    summary.put("rule set", decided.ruleSet());
    if (decided.perRuleSet() != null && decided.perRuleSet().size() > 1) {
      decided.perRuleSet().forEach((k, v) -> summary.put("decided by " + k, String.format(Locale.ROOT, "%,d", v)));
    }
    if (decided.controlGroup() > 0) {
      summary.put("held out (control groups)", String.format(Locale.ROOT, "%,d", decided.controlGroup()));
    }
    List<ReportData.Bar> tiers = bars(decided.perTier());
    List<ReportData.Bar> actions = bars(decided.perAction());
    return new ReportData(
        "valuetier report",
        Instant.now().toString(),
        summary,
        tiers,
        valueByTier(store, decided.runId()),
        actions,
        evaluation == null ? List.of() : evaluation.gains(),
        evaluation == null ? List.of() : evaluation.calibration(),
        evaluation == null ? List.of() : evaluation.models(),
        evaluation == null ? trained.champion() : evaluation.champion(),
        topFeatures(store),
        ruleHits(store, decided.runId(), rules),
        rejected(store),
        outcomes(store));
  }

  /** Outcomes of every decision run so far, per tier and action, against control (empty until outcomes come back). */
  static List<ReportData.OutcomeRow> outcomes(Store store) {
    List<ReportData.OutcomeRow> out = new ArrayList<>();
    for (io.valuetier.feedback.OutcomeReport.Row r : io.valuetier.feedback.OutcomeReport.compute(store, null)) {
      out.add(new ReportData.OutcomeRow(r.tier(), r.action(), r.treated(), r.control(), r.responseRate(),
          r.purchaseRate(), r.controlPurchaseRate(), r.purchaseUplift().estimate(), r.purchaseUplift().low(),
          r.purchaseUplift().high(), r.revenuePerCustomer(), r.controlRevenuePerCustomer(),
          r.revenueUplift().estimate(), r.revenueUplift().low(), r.revenueUplift().high()));
    }
    return out;
  }

  private static List<ReportData.Bar> bars(Map<String, Long> m) {
    List<ReportData.Bar> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new ReportData.Bar(k, v)));
    out.sort(Comparator.comparingDouble(ReportData.Bar::value).reversed());
    return out;
  }

  private static List<ReportData.Bar> valueByTier(Store store, long runId) {
    Map<String, Long> m = new TreeMap<>();
    query(store, "SELECT value_tier, ROUND(SUM(predicted_value)) FROM decisions WHERE run_id = ? GROUP BY value_tier",
        rs -> m.put(String.valueOf(rs.getString(1)), rs.getLong(2)), runId);
    return bars(m);
  }

  /** Features by their mean absolute push among each customer's three strongest reasons. */
  private static List<ReportData.Bar> topFeatures(Store store) {
    Map<String, Double> push = new HashMap<>();
    long[] customers = {0};
    query(store, "SELECT reason_codes FROM scores WHERE reason_codes IS NOT NULL", rs -> {
      customers[0]++;
      for (String part : rs.getString(1).split(";")) {
        int c = part.lastIndexOf(':');
        if (c > 0) {
          try {
            push.merge(part.substring(0, c), Math.abs(Double.parseDouble(part.substring(c + 1))), Double::sum);
          } catch (NumberFormatException e) {
            // a reason without a number is not counted
          }
        }
      }
    });
    List<ReportData.Bar> out = new ArrayList<>();
    push.forEach((k, v) -> out.add(new ReportData.Bar(k, v / Math.max(1, customers[0]))));
    out.sort(Comparator.comparingDouble(ReportData.Bar::value).reversed());
    return out.size() > 12 ? out.subList(0, 12) : out;
  }

  /** Every row of every decision table with how often it matched in the run (rows never hit included). */
  private static List<ReportData.Bar> ruleHits(Store store, long runId, RuleSet rules) {
    Map<String, Long> hits = new HashMap<>();
    // the rows of the champion's tables: a challenger's decisions matched the rows of other tables
    query(store, "SELECT matched_rows, COUNT(*) FROM decisions WHERE run_id = ? AND rule_set = ? GROUP BY matched_rows",
        rs -> {
      String rows = rs.getString(1);
      if (rows != null) {
        for (String r : rows.split(";")) {
          hits.merge(r, rs.getLong(2), Long::sum);
        }
      }
    }, runId, rules.version());
    List<ReportData.Bar> out = new ArrayList<>();
    for (DecisionTableInfo t : rules.model().tables()) {
      for (DecisionTableInfo.Row row : t.rows()) {
        String key = t.decision() + "#" + row.number();
        String label = key + ": " + (row.annotation() == null ? "" : row.annotation());
        out.add(new ReportData.Bar(label.length() > 70 ? label.substring(0, 67) + "..." : label, hits.getOrDefault(key, 0L)));
      }
    }
    return out;
  }

  private static List<ReportData.Bar> rejected(Store store) {
    Map<String, Long> m = new TreeMap<>();
    query(store, "SELECT reason_code, COUNT(*) FROM rejected_records GROUP BY reason_code",
        rs -> m.put(rs.getString(1), rs.getLong(2)));
    return bars(m);
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void query(Store store, String sql, Row row, Object... args) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the report's figures: " + sql + ": " + e.getMessage(), e);
    }
  }
}
