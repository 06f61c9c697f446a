package io.valuetier.pipeline;

import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.trace.DecisionCounts;
import io.valuetier.report.ReportData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The report's per-run budget and rule hits, from the run's decisions counted by outcome ({@link DecisionCounts}). */
final class RunCounts {
  private RunCounts() {}

  /** The offer budget used by the run: the offers of the customers contacted (not those held out). */
  static ReportData.Budget budget(List<DecisionCounts.Counted> counted, BatchDecider.Report decided) {
    double used = 0;
    for (DecisionCounts.Counted c : counted) {
      if (!c.controlGroup() && c.offerCost() != null) {
        used += c.offerCost() * c.decisions();
      }
    }
    return new ReportData.Budget(decided.budget() == null ? null : decided.budget().doubleValue(), used);
  }

  /** Every row of every decision table with how often it matched in the run (rows never hit included). */
  static List<ReportData.RuleHit> ruleHits(List<DecisionCounts.Counted> counted, RuleSet rules) {
    Map<String, Long> hits = new HashMap<>();
    // the rows of the champion's tables: a challenger's decisions matched the rows of other tables
    for (DecisionCounts.Counted c : counted) {
      if (c.matchedRows() != null && rules.version().equals(c.ruleSet())) {
        for (String r : c.matchedRows().split(";")) {
          hits.merge(r, c.decisions(), Long::sum);
        }
      }
    }
    List<ReportData.RuleHit> out = new ArrayList<>();
    for (DecisionTableInfo t : rules.model().tables()) {
      for (DecisionTableInfo.Row row : t.rows()) {
        String key = t.decision() + "#" + row.number();
        out.add(new ReportData.RuleHit(key, row.annotation() == null ? "" : row.annotation(), hits.getOrDefault(key, 0L)));
      }
    }
    return out;
  }
}
