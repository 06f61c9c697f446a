package io.valuetier.model.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The printed forms of a {@link RollingBacktest.Report}: tables for people, one JSON object for machines. */
public final class RollingReport {
  private RollingReport() {}

  /** One model's figures at one cutoff, with the names of the JSON output. */
  static Map<String, Object> figures(ModelMetrics m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("customers", m.customers());
    r.put("spearman", m.spearman());
    r.put("normalized_gini", m.normalizedGini());
    r.put("top_decile_capture", m.topDecileCapture());
    r.put("total_bias", m.totalError());
    r.put("predicted_total", m.predictedTotal());
    r.put("actual_total", m.actualTotal());
    r.put("buy_auc", m.buyAuc());
    r.put("buy_brier", m.buyBrier());
    return r;
  }

  private static Map<String, Object> figure(RollingBacktest.Figure f) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mean", Double.isNaN(f.mean()) ? null : f.mean());
    r.put("worst", Double.isNaN(f.worst()) ? null : f.worst());
    r.put("worst_cutoff", f.worstCutoff() == null ? null : f.worstCutoff().toString());
    return r;
  }

  /**
   * The JSON form: {@code cutoffs[]} (each with its {@code models}, keyed by algorithm, and {@code champion}, the
   * model chosen there on the validation window) and {@code summary}, keyed by algorithm, with every figure's mean and
   * worst cutoff.
   */
  public static Map<String, Object> asMap(RollingBacktest.Report report) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("horizon_days", report.horizonDays());
    o.put("history_days", report.plan().historyDays());
    o.put("history_reduced", report.plan().reduced());
    o.put("customer_share", report.customerShare());
    o.put("customers", report.customers());
    List<Map<String, Object>> cutoffs = new ArrayList<>();
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cutoff", c.cutoff().toString());
      m.put("holdout_end", c.holdoutEnd().toString());
      Map<String, Object> models = new LinkedHashMap<>();
      for (RollingBacktest.Entry e : c.models()) {
        if (e.algorithm().equals("champion")) {
          m.put("champion", e.chosen());
        } else {
          Map<String, Object> f = figures(e.holdout());
          f.put("interval_coverage", Double.isNaN(e.intervalCoverage()) ? null : e.intervalCoverage());
          models.put(e.algorithm(), f);
        }
      }
      m.put("models", models);
      m.put("seconds", c.seconds());
      cutoffs.add(m);
    }
    o.put("cutoffs", cutoffs);
    Map<String, Object> summary = new LinkedHashMap<>();
    for (RollingBacktest.Summary s : report.summary()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spearman", figure(s.spearman()));
      m.put("normalized_gini", figure(s.normalizedGini()));
      m.put("top_decile_capture", figure(s.topDecileCapture()));
      m.put("total_bias", figure(s.totalBias()));
      m.put("buy_auc", figure(s.buyAuc()));
      m.put("buy_brier", figure(s.buyBrier()));
      m.put("interval_coverage", figure(s.intervalCoverage()));
      summary.put(s.algorithm(), m);
    }
    o.put("summary", summary);
    o.put(
        "protocol",
        "at every month end with a full holdout horizon after it and the history before it, every model is trained on "
            + "data up to that day only (champion chosen on its validation window) and scored on the holdout; "
            + "'champion' is the model chosen at each cutoff");
    o.put("seconds", report.seconds());
    return o;
  }

  /** The tables: per cutoff, then the summary. */
  public static String text(RollingBacktest.Report report) {
    StringBuilder sb = new StringBuilder();
    RollingBacktest.Plan plan = report.plan();
    sb.append(String.format(Locale.ROOT,
        "Rolling backtest: %d month-end cutoffs %s..%s, %d-day holdouts, at least %d days of history%s; %,d customers%s%n",
        plan.cutoffs().size(), first(plan), last(plan), report.horizonDays(), plan.historyDays(),
        plan.reduced() ? " (reduced: the data is shorter than the history wanted)" : "", report.customers(),
        report.customerShare() < 1
            ? String.format(Locale.ROOT, " (a seeded %.0f%% sample)", 100 * report.customerShare())
            : ""));
    sb.append("\n| cutoff | model | Spearman | normalized Gini | top-decile capture | total bias | buy AUC | buy Brier | interval coverage |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      for (RollingBacktest.Entry e : c.models()) {
        ModelMetrics m = e.holdout();
        String name = e.algorithm().equals("champion") ? "champion (" + e.chosen() + ")" : e.algorithm();
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.1f%% | %+.1f%% | %.3f | %.3f | %s |%n",
            c.cutoff(), name, m.spearman(), m.normalizedGini(), 100 * m.topDecileCapture(), 100 * m.totalError(),
            m.buyAuc(), m.buyBrier(), percent(e.intervalCoverage())));
      }
    }
    sb.append("\n").append(summaryTable(report));
    sb.append(String.format(Locale.ROOT, "Time: %.1f s%n", report.seconds()));
    return sb.toString();
  }

  /** The summary as a Markdown table: each figure's mean over the cutoffs and its worst cutoff. */
  public static String summaryTable(RollingBacktest.Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append("| model | Spearman mean / worst | normalized Gini mean / worst | top-decile capture mean / worst "
        + "| total bias mean / worst | buy AUC mean / worst | buy Brier mean / worst | 80% interval coverage mean / worst |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (RollingBacktest.Summary s : report.summary()) {
      sb.append(String.format(Locale.ROOT,
          "| %s | %.3f / %.3f | %.3f / %.3f | %.1f%% / %.1f%% | %+.1f%% / %+.1f%% | %.3f / %.3f | %.3f / %.3f | %s / %s |%n",
          s.algorithm(), s.spearman().mean(), s.spearman().worst(), s.normalizedGini().mean(),
          s.normalizedGini().worst(), 100 * s.topDecileCapture().mean(), 100 * s.topDecileCapture().worst(),
          100 * s.totalBias().mean(), 100 * s.totalBias().worst(), s.buyAuc().mean(), s.buyAuc().worst(),
          s.buyBrier().mean(), s.buyBrier().worst(), percent(s.intervalCoverage().mean()),
          percent(s.intervalCoverage().worst())));
    }
    return sb.toString();
  }

  private static String first(RollingBacktest.Plan plan) {
    return plan.cutoffs().isEmpty() ? "-" : plan.cutoffs().getFirst().toString();
  }

  private static String last(RollingBacktest.Plan plan) {
    return plan.cutoffs().isEmpty() ? "-" : plan.cutoffs().getLast().toString();
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
