package io.valuetier.report;

import io.valuetier.util.HtmlText;
import io.valuetier.whatif.Impact;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The impact of a candidate rule set as text (for the terminal) and as one self-contained HTML page. Every value of
 * the page (customer ids, reasons, tiers, actions, rule-set names) is HTML-escaped, so data cannot add markup.
 */
public final class ImpactPage {
  private ImpactPage() {}

  public static String text(Impact i) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "What-if: candidate %s against active %s on %,d scored customers%n",
        i.candidateRuleSet(), i.activeRuleSet(), i.customers()));
    sb.append(String.format(Locale.ROOT, "  %,d change tier, %,d change action; nothing was written%n%n",
        i.tierChanges(), i.actionChanges()));
    sb.append("Tier migration (rows: active tier, columns: candidate tier)\n");
    Set<String> tiers = tiers(i);
    sb.append(String.format(Locale.ROOT, "  %-10s", "from\\to"));
    for (String t : tiers) {
      sb.append(String.format(Locale.ROOT, "%10s", t));
    }
    sb.append('\n');
    for (String from : tiers) {
      sb.append(String.format(Locale.ROOT, "  %-10s", from));
      for (String to : tiers) {
        sb.append(String.format(Locale.ROOT, "%10d", i.moved(from, to)));
      }
      sb.append('\n');
    }
    sb.append("\nActions (active -> candidate)\n");
    i.actionCounts().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-22s %8d -> %8d  (%+d)%n", k,
        v.active(), v.candidate(), v.delta())));
    sb.append("\nPredicted value at stake per tier\n");
    i.valueAtStake().forEach((k, v) -> sb.append(String.format(Locale.ROOT,
        "  %-10s leaving %,6d customers worth %,14.2f; joining %,6d worth %,14.2f%n", k, v.customersLeaving(),
        v.valueLeaving(), v.customersJoining(), v.valueJoining())));
    if (!i.sample().isEmpty()) {
      sb.append("\nCustomers whose outcome changes (sample)\n");
      for (Impact.Change c : i.sample()) {
        sb.append(String.format(Locale.ROOT, "  %s (predicted %s): %s/%s -> %s/%s%n      before: %s%n      after:  %s%n",
            c.customerId(), c.predictedValue(), c.tierFrom(), c.actionFrom(), c.tierTo(), c.actionTo(),
            c.reasonsFrom(), c.reasonsTo()));
      }
    }
    return sb.toString();
  }

  private static Set<String> tiers(Impact i) {
    Set<String> tiers = new LinkedHashSet<>(i.tierMigration().keySet());
    for (Map<String, Long> row : i.tierMigration().values()) {
      tiers.addAll(row.keySet());
    }
    return tiers;
  }

  public static String html(Impact i) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>What-if ")
        .append(esc(i.candidateRuleSet())).append("</title><style>body{font:14px system-ui,sans-serif;margin:24px;"
            + "color:#1f2933}table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #e4e7eb;"
            + "padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}td.diag{background:#f1f5f9}"
            + "td.moved{background:#fef3c7;font-weight:600}.note{color:#616e7c}</style></head><body>");
    sb.append("<h1>What-if: candidate ").append(esc(i.candidateRuleSet())).append(" vs active ")
        .append(esc(i.activeRuleSet())).append("</h1>");
    sb.append(String.format(Locale.ROOT, "<p class=\"note\">%,d scored customers; %,d change tier, %,d change action."
        + " Nothing was written to the live decisions.</p>", i.customers(), i.tierChanges(), i.actionChanges()));
    sb.append("<h2>Tier migration</h2><table><tr><th>active \\ candidate</th>");
    Set<String> tiers = tiers(i);
    for (String t : tiers) {
      sb.append("<th>").append(esc(t)).append("</th>");
    }
    sb.append("</tr>");
    for (String from : tiers) {
      sb.append("<tr><td>").append(esc(from)).append("</td>");
      for (String to : tiers) {
        long n = i.moved(from, to);
        String cls = from.equals(to) ? " class=\"diag\"" : n > 0 ? " class=\"moved\"" : "";
        sb.append("<td").append(cls).append('>').append(n).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</table><h2>Actions</h2><table><tr><th>action</th><th>active</th><th>candidate</th><th>change</th></tr>");
    i.actionCounts().forEach((k, v) -> sb.append(String.format(Locale.ROOT,
        "<tr><td>%s</td><td>%d</td><td>%d</td><td>%+d</td></tr>", esc(k), v.active(), v.candidate(), v.delta())));
    sb.append("</table><h2>Predicted value at stake</h2><table><tr><th>tier</th><th>customers leaving</th>"
        + "<th>value leaving</th><th>customers joining</th><th>value joining</th></tr>");
    i.valueAtStake().forEach((k, v) -> sb.append(String.format(Locale.ROOT,
        "<tr><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%s</td></tr>", esc(k), v.customersLeaving(),
        money(v.valueLeaving()), v.customersJoining(), money(v.valueJoining()))));
    sb.append("</table>");
    if (!i.sample().isEmpty()) {
      sb.append("<h2>Customers whose outcome changes (sample)</h2><table><tr><th>customer</th><th>predicted</th>"
          + "<th>before</th><th>after</th><th>reasons before</th><th>reasons after</th></tr>");
      for (Impact.Change c : i.sample()) {
        sb.append("<tr><td>").append(esc(c.customerId())).append("</td><td>").append(money(c.predictedValue()))
            .append("</td><td>").append(esc(c.tierFrom() + " / " + c.actionFrom())).append("</td><td>")
            .append(esc(c.tierTo() + " / " + c.actionTo())).append("</td><td style=\"text-align:left\">")
            .append(esc(c.reasonsFrom())).append("</td><td style=\"text-align:left\">").append(esc(c.reasonsTo()))
            .append("</td></tr>");
      }
      sb.append("</table>");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static String money(BigDecimal v) {
    return v == null ? "" : String.format(Locale.ROOT, "%,.2f", v);
  }

  /** Every value from data or rules goes through here: text in elements and in quoted attributes alike. */
  static String esc(String s) {
    return HtmlText.escape(s);
  }
}
