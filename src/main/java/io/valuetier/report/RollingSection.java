package io.valuetier.report;

import static io.valuetier.report.Html.text;

import java.util.Locale;
import java.util.function.Function;

/**
 * The report's "Rolling-origin backtest" section: per model the mean and worst cutoff of every figure, the champion
 * chosen at each cutoff with its figures and a chart of the normalized Gini per cutoff (drawn by the page's script from
 * {@code rolling.cutoffs}), when it ran and how to run it again. Without a recorded backtest it says how to record one.
 * Every value from the record passes through {@link Html}.
 */
final class RollingSection {
  private final StringBuilder out;

  private RollingSection(StringBuilder out) {
    this.out = out;
  }

  /** Appends the section for {@code r} (null: none recorded) to {@code out}. */
  static void write(StringBuilder out, RollingData r) {
    new RollingSection(out).section(r);
  }

  private void section(RollingData r) {
    out.append("<section id=\"rolling\" class=\"wide\"><h2>Rolling-origin backtest</h2>");
    if (r == null || r.problem() != null) {
      out.append("<p class=\"note\" id=\"rolling-none\">").append(r == null
          ? "No rolling backtest was recorded in the model registry."
          : text("The recorded rolling backtest cannot be shown: " + r.problem()));
      out.append(" Run one on the shop\u2019s transaction files with <code>").append(text(RollingData.HOW))
          .append("</code>: it backtests every model at every month-end cutoff (each trained on the data up to that"
              + " day only) and the next report shows each model\u2019s mean and worst cutoff here.</p></section>");
      return;
    }
    out.append("<p class=\"note\">At every month end with a full ").append(r.horizonDays())
        .append("-day holdout after it, every model was trained on the data up to that day only (the champion chosen on"
            + " its validation window) and scored on the holdout. Recorded <b>").append(text(r.recordedAt()))
        .append("</b> on ").append(text(String.join(", ", r.transactions()))).append(" (data to ")
        .append(text(r.dataEnd())).append(", ").append(String.format(Locale.ROOT, "%,d", r.customers()))
        .append(" customers").append(r.customerShare() < 1
            ? String.format(Locale.ROOT, ", a seeded %.0f%% sample", 100 * r.customerShare()) : "")
        .append("); it chose <b>").append(text(r.chosen())).append("</b> as the champion of the next training.</p>");
    summary(r);
    out.append("<div class=\"split\">");
    cutoffs(r);
    out.append("<div class=\"chart\" data-chart=\"rolling\"></div></div>");
    out.append("<p class=\"note\" id=\"rolling-refresh\">Total bias is the predicted total over the actual minus 1;"
        + " the worst is the lowest score (Brier: highest, bias: farthest from 0). To refresh it: <code>")
        .append(text(r.refresh() == null ? RollingData.HOW : r.refresh())).append("</code></p></section>");
  }

  private void summary(RollingData r) {
    out.append("<table class=\"figures\" id=\"rolling-summary\"><thead><tr><th>model</th><th>Spearman</th>"
        + "<th>normalized Gini</th><th>top-decile capture</th><th>total bias</th><th>buy AUC</th><th>buy Brier</th>"
        + "<th>80% interval coverage</th></tr></thead><tbody>");
    for (RollingData.Model m : r.summary()) {
      boolean champion = m.model().equals("champion");
      out.append(champion ? "<tr class=\"champion\">" : "<tr>").append("<td>")
          .append(text(champion ? "champion (at each cutoff)" : m.model())).append("</td>");
      cell(m.spearman(), RollingSection::f3);
      cell(m.normalizedGini(), RollingSection::f3);
      cell(m.topDecileCapture(), RollingSection::percent);
      cell(m.totalBias(), RollingSection::signedPercent);
      cell(m.buyAuc(), RollingSection::f3);
      cell(m.buyBrier(), RollingSection::f3);
      cell(m.intervalCoverage(), RollingSection::percent);
      out.append("</tr>");
    }
    out.append("</tbody></table><p class=\"note\">Each cell: the mean over the ").append(r.cutoffs().size())
        .append(" cutoffs, then the worst cutoff\u2019s value and its date.</p>");
  }

  private void cell(RollingData.Figure f, Function<Double, String> format) {
    if (f == null || f.mean() == null) {
      out.append("<td>\u2014</td>");
      return;
    }
    out.append("<td>").append(text(format.apply(f.mean())));
    if (f.worst() != null) {
      out.append("<br><small>worst ").append(text(format.apply(f.worst())));
      if (f.worstCutoff() != null) {
        out.append(" <span>(").append(text(f.worstCutoff())).append(")</span>");
      }
      out.append("</small>");
    }
    out.append("</td>");
  }

  private void cutoffs(RollingData r) {
    out.append("<table class=\"figures\" id=\"rolling-cutoffs\"><thead><tr><th>cutoff</th><th>holdout to</th>"
        + "<th class=\"l\">champion there</th><th>its normalized Gini</th><th>its total bias</th></tr></thead><tbody>");
    for (RollingData.Cutoff c : r.cutoffs()) {
      Double gini = c.champion() == null ? null : c.normalizedGini().get(c.champion());
      Double bias = c.champion() == null ? null : c.totalBias().get(c.champion());
      out.append("<tr><td>").append(text(c.cutoff())).append("</td><td>").append(text(c.holdoutEnd()))
          .append("</td><td class=\"l\">").append(text(c.champion() == null ? "\u2014" : c.champion()))
          .append("</td><td>").append(text(gini == null ? "\u2014" : f3(gini))).append("</td><td>")
          .append(text(bias == null ? "\u2014" : signedPercent(bias))).append("</td></tr>");
    }
    out.append("</tbody></table>");
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String percent(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String signedPercent(double v) {
    return String.format(Locale.ROOT, "%+.1f%%", 100 * v);
  }
}
