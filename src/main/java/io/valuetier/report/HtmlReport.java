package io.valuetier.report;

import static io.valuetier.report.Html.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the report as ONE self-contained HTML file that opens offline. Every figure is in server-rendered HTML
 * tables, so the page reads the same in a mail client or with scripts off; the charts (Apache ECharts from its
 * WebJar, Apache-2.0, inlined, SVG renderer) are drawn on top from the same data, embedded as JSON. The page opens
 * with what marketing acts on (tiers, actions and their cost, the budget, the files, service levels), then the model
 * and monitoring sections. Every value from data passes through {@link Html}.
 *
 * <p>One job: the page, one method per section in the order a reader sees them; the figures it shows are gathered
 * elsewhere ({@link ReportData}).
 */
public final class HtmlReport {
  private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static final String TEMPLATE = "/report/report.html";

  private final ReportData d;
  private final String symbol;
  private final StringBuilder out = new StringBuilder(64 * 1024);

  private HtmlReport(ReportData data) {
    this.d = data;
    this.symbol = data.headline() == null ? "" : symbol(data.headline().currency());
  }

  public static Path write(ReportData data, Path file) {
    String html = page(data);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The whole page. */
  static String page(ReportData data) {
    HtmlReport r = new HtmlReport(data);
    r.body();
    String template = resource(TEMPLATE);
    String echarts = resource(ECHARTS).replace("</script", "<\\/script");
    // the hashes are taken from the page without any data, so nothing from data can ever be allowed to run
    String policy = policy(fill(template, Map.of("/*ECHARTS*/", echarts)));
    return fill(template, Map.of(
        CSP, policy,
        "__TITLE__", text(data.title()),
        "<!--BODY-->", r.out.toString(),
        "/*ECHARTS*/", echarts,
        "<!--DATA-->", Html.scriptJson(data)));
  }

  private static final String CSP = "__CSP__";
  private static final Pattern SCRIPT = Pattern.compile("(?s)<script>(.*?)</script>");

  /**
   * A Content-Security-Policy that lets only the page's own scripts run (by their SHA-256) and loads nothing from
   * anywhere: a second line of defence behind the escaping, should a value ever slip through as markup.
   */
  private static String policy(String page) {
    StringBuilder hashes = new StringBuilder();
    Matcher m = SCRIPT.matcher(page);
    while (m.find()) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
        hashes.append(" 'sha256-").append(Base64.getEncoder().encodeToString(digest)).append('\'');
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this Java has no SHA-256", e);
      }
    }
    return "default-src 'none'; script-src" + hashes + "; style-src 'unsafe-inline'; img-src data:";
  }

  /** Replaces each placeholder of the template once, never looking into what was put in. */
  private static String fill(String template, Map<String, String> values) {
    StringBuilder sb = new StringBuilder(template.length() + 1_200_000);
    int at = 0;
    while (true) {
      int next = -1;
      String key = null;
      for (String k : values.keySet()) {
        int i = template.indexOf(k, at);
        if (i >= 0 && (next < 0 || i < next)) {
          next = i;
          key = k;
        }
      }
      if (key == null) {
        return sb.append(template, at, template.length()).toString();
      }
      sb.append(template, at, next).append(values.get(key));
      at = next + key.length();
    }
  }

  private void body() {
    header();
    cards();
    tiers();
    actions();
    out.append("<div class=\"pair\">");
    files();
    serviceLevels();
    out.append("</div>");
    out.append("<h2 class=\"part\" id=\"model-part\">Model, rules and data</h2>");
    accounting();
    models();
    RollingSection.write(out, d.rolling());
    out.append("<div class=\"pair\">");
    gains();
    calibration();
    out.append("</div><div class=\"pair\">");
    features();
    rejected();
    out.append("</div>");
    ruleHits();
    outcomes();
    monitoring();
  }

  private void header() {
    ReportData.Headline h = d.headline();
    out.append("<header><h1>").append(text(d.title())).append("</h1>");
    if (h != null) {
      out.append("<p class=\"headline\">");
      List<String> parts = new ArrayList<>();
      parts.add("Decision run <b>" + h.run() + "</b>");
      parts.add("written <b>" + text(h.writtenAt()) + "</b>");
      parts.add("store <b>" + text(h.store()) + "</b>");
      parts.add("rule set <b>" + text(h.ruleSet()) + "</b>");
      parts.add("model <b>" + text(h.model()) + "</b>");
      parts.add("amounts in <b>" + (h.currency() == null ? "several currencies" : text(h.currency())) + "</b>");
      out.append(String.join(" &middot; ", parts)).append("</p>");
    }
    out.append("</header><main>");
  }

  private void cards() {
    long customers = d.tiers().stream().mapToLong(ReportData.TierRow::customers).sum();
    double value = d.tiers().stream().mapToDouble(ReportData.TierRow::predictedValue).sum();
    long contacted = d.actions().stream().filter(a -> !a.channel().isEmpty()).mapToLong(ReportData.ActionRow::customers).sum();
    long heldOut = d.actions().stream().mapToLong(ReportData.ActionRow::heldOut).sum();
    out.append("<div class=\"cards\" id=\"key-figures\">");
    card("customers decided", count(customers));
    card("predicted value, next horizon", money(value));
    card("customers to contact", count(contacted));
    card("held out (control groups)", count(heldOut));
    if (d.budget() != null) {
      card("offer budget used", money(d.budget().used()), d.budget().limit() == null ? "no cap"
          : "of " + money(d.budget().limit()) + String.format(Locale.ROOT, " (%.1f%%)",
              100 * d.budget().used() / Math.max(1e-9, d.budget().limit())));
    }
    out.append("</div>");
  }

  private void card(String label, String value) {
    card(label, value, null);
  }

  private void card(String label, String value, String sub) {
    out.append("<div class=\"card\"><div class=\"k\">").append(text(label)).append("</div><div class=\"v\">")
        .append(text(value)).append("</div>");
    if (sub != null) {
      out.append("<div class=\"s\">").append(text(sub)).append("</div>");
    }
    out.append("</div>");
  }

  private void tiers() {
    if (d.tiers().isEmpty()) {
      return;
    }
    open("tiers", "Value tiers", "Customers and their predicted value per tier (decision \u201cValue Tier\u201d), "
        + "highest tier first. The interval per customer is the mean of the customers' prediction-interval bounds "
        + "(the model card gives their coverage).", "wide");
    long total = d.tiers().stream().mapToLong(ReportData.TierRow::customers).sum();
    double value = d.tiers().stream().mapToDouble(ReportData.TierRow::predictedValue).sum();
    out.append("<div class=\"split\"><table class=\"figures\" id=\"tier-table\"><thead><tr><th>tier</th>"
        + "<th>customers</th><th>share</th><th>predicted value</th><th>per customer</th>"
        + "<th>interval per customer</th></tr></thead><tbody>");
    for (ReportData.TierRow t : d.tiers()) {
      row(t.tier(), count(t.customers()), pct(t.customers(), total), money(t.predictedValue()),
          money(t.customers() == 0 ? 0 : t.predictedValue() / t.customers()),
          t.intervalLow() == null ? "\u2014" : money(t.intervalLow()) + " \u2013 " + money(t.intervalHigh()));
    }
    out.append("</tbody><tfoot>");
    row("all tiers", count(total), pct(total, total), money(value), money(total == 0 ? 0 : value / total), "");
    out.append("</tfoot></table>");
    chart("tiers");
    out.append("</div>");
    close();
  }

  private void actions() {
    if (d.actions().isEmpty()) {
      return;
    }
    open("actions", "Marketing actions", "After the guardrails (consent, contact fatigue, holds, budget). "
        + "Cost is the offer\u2019s cost per customer who gets it (the DMN\u2019s Offer Cost); there is no setting for "
        + "the cost of sending on a channel, so it is not counted. Customers held out as a control group get nothing "
        + "and cost nothing.", "wide");
    out.append("<table class=\"figures\" id=\"action-table\"><thead><tr><th>action</th><th class=\"l\">channel</th>"
        + "<th class=\"l\">offer</th><th>customers</th><th>held out (control)</th><th>cost per contact</th>"
        + "<th>offer cost</th></tr></thead><tbody>");
    long customers = 0;
    long held = 0;
    double cost = 0;
    for (ReportData.ActionRow a : d.actions()) {
      String offer = a.offer().isEmpty() ? "\u2014" : String.join(" / ", a.offer());
      if (a.withoutOffer() > 0) {
        offer += " (" + count(a.withoutOffer()) + " without it: budget spent)";
      }
      out.append("<tr><td>").append(text(a.action())).append("</td><td class=\"l\">")
          .append(text(a.channel().isEmpty() ? "no contact" : String.join(", ", a.channel())))
          .append("</td><td class=\"l wrap\">").append(text(offer)).append("</td><td>").append(count(a.customers()))
          .append("</td><td>").append(a.heldOut() == 0 ? "\u2014" : count(a.heldOut())).append("</td><td>")
          .append(text(a.channel().isEmpty() ? "\u2014" : money(a.costPerContact()))).append("</td><td>")
          .append(text(money(a.cost()))).append("</td></tr>");
      customers += a.customers();
      held += a.heldOut();
      cost += a.cost();
    }
    out.append("</tbody><tfoot>");
    row("all actions", "", "", count(customers), count(held), "", money(cost));
    out.append("</tfoot></table>");
    ReportData.Budget b = d.budget();
    if (b != null) {
      out.append("<p class=\"budget\" id=\"budget\">Offer budget: <b>").append(text(money(b.used()))).append("</b> used");
      if (b.limit() == null) {
        out.append(", no cap set (<code>valuetier.decide.offer-budget</code> is empty or unlimited).");
      } else {
        double share = b.limit() <= 0 ? 0 : Math.min(1, b.used() / b.limit());
        out.append(" of <b>").append(text(money(b.limit()))).append("</b> (")
            .append(String.format(Locale.ROOT, "%.1f%%", 100 * b.used() / Math.max(1e-9, b.limit())))
            .append(", <code>valuetier.decide.offer-budget</code>)")
            .append("<span class=\"meter\"><span style=\"width:")
            .append(String.format(Locale.ROOT, "%.1f", 100 * share)).append("%\"></span></span>");
      }
      out.append("</p>");
    }
    close();
  }

  private void files() {
    ReportData.Published p = d.files();
    if (p == null) {
      return;
    }
    open("files", "Where the actions are", null, "");
    if (p.folder() == null) {
      out.append("<p>Published to <code>").append(text(p.destination())).append("</code> (not a folder).</p>");
      close();
      return;
    }
    out.append("<p class=\"path\">Folder <code>").append(text(p.folder())).append("</code></p>");
    out.append("<table class=\"figures\" id=\"file-table\"><thead><tr><th>file</th><th>rows</th><th class=\"l\">"
        + "what</th></tr></thead><tbody>");
    for (ReportData.FileRow f : p.files()) {
      String what = switch (f.kind()) {
        case CONTACTS -> "contact list";
        case CONTROL_GROUP -> "control group: do not contact";
        case NO_CONTACT -> "no contact: for the record";
        case ALL_DECISIONS -> "every decision, JSON Lines";
      };
      boolean control = f.kind() == ReportData.FileKind.CONTROL_GROUP;
      out.append("<tr").append(control ? " class=\"control\"" : "").append("><td><code>")
          .append(text(f.name())).append("</code></td><td>").append(count(f.rows())).append("</td><td class=\"l\">")
          .append(text(what)).append("</td></tr>");
    }
    out.append("</tbody></table><p class=\"note\">Rows are data rows (the header line not counted).</p>");
    close();
  }

  private void serviceLevels() {
    if (d.serviceLevels().isEmpty()) {
      return;
    }
    open("service-levels", "Service levels", "Customers per service level (decision \u201cService Level\u201d), "
        + "highest first.", "");
    double total = d.serviceLevels().stream().mapToDouble(ReportData.Bar::value).sum();
    out.append("<table class=\"figures\" id=\"service-table\"><thead><tr><th>service level</th><th>customers</th>"
        + "<th>share</th></tr></thead><tbody>");
    for (ReportData.Bar b : d.serviceLevels()) {
      row(b.label(), count((long) b.value()), pct(b.value(), total));
    }
    out.append("</tbody></table>");
    chart("service-levels");
    close();
  }

  private void accounting() {
    if (d.summary() == null || d.summary().isEmpty()) {
      return;
    }
    open("run", "The run", "What was read, kept and decided.", "wide");
    out.append("<div class=\"cards small\">");
    d.summary().forEach(this::card);
    out.append("</div>");
    close();
  }

  private void models() {
    if (d.modelTable().isEmpty()) {
      return;
    }
    open("models", "Model comparison on the holdout", "Normalized Gini and Spearman of predicted vs actual holdout "
        + "spend, top-decile capture, errors per customer, totals.", "wide");
    out.append("<table class=\"figures\"><thead><tr><th>model</th><th>Spearman</th><th>norm. Gini</th>"
        + "<th>top-decile capture</th><th>MAE</th><th>RMSE</th><th>predicted total</th><th>actual total</th></tr>"
        + "</thead><tbody>");
    for (ReportData.ModelRow m : d.modelTable()) {
      boolean champion = m.name().equals(d.champion());
      out.append(champion ? "<tr class=\"champion\">" : "<tr>");
      cells(m.name() + (champion ? " (champion)" : ""), f3(m.spearman()), f3(m.normalizedGini()),
          String.format(Locale.ROOT, "%.1f%%", 100 * m.topDecileCapture()), money(m.mae()), money(m.rmse()),
          money(m.predictedTotal()), money(m.actualTotal()));
      out.append("</tr>");
    }
    out.append("</tbody></table>");
    close();
  }

  private void gains() {
    if (d.gains().isEmpty()) {
      return;
    }
    open("gains", "Gains on the holdout", "Share of actual holdout spend captured by targeting the top x% of "
        + "customers by each model\u2019s prediction; random targeting captures x%.", "");
    chart("gains");
    TreeSet<Double> xs = new TreeSet<>();
    for (double x : new double[] {5, 10, 20, 30, 50}) {
      xs.add(x);
    }
    out.append("<details open><summary>figures</summary><table class=\"figures\"><thead><tr><th>top customers</th>");
    for (ReportData.Gains g : d.gains()) {
      out.append("<th>").append(text(g.model())).append("</th>");
    }
    out.append("<th>random</th></tr></thead><tbody>");
    for (double x : xs) {
      out.append("<tr><td>").append(String.format(Locale.ROOT, "%.0f%%", x)).append("</td>");
      for (ReportData.Gains g : d.gains()) {
        double y = interpolate(g.points(), x);
        out.append("<td>").append(Double.isNaN(y) ? "\u2014" : String.format(Locale.ROOT, "%.1f%%", y)).append("</td>");
      }
      out.append("<td>").append(String.format(Locale.ROOT, "%.0f%%", x)).append("</td></tr>");
    }
    out.append("</tbody></table></details>");
    close();
  }

  /** The gains curve at x, linear between its points. */
  private static double interpolate(List<double[]> points, double x) {
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (p[0] == x) {
        return p[1];
      }
      if (p[0] > x && i > 0) {
        double[] q = points.get(i - 1);
        return q[1] + (p[1] - q[1]) * (x - q[0]) / (p[0] - q[0]);
      }
    }
    return Double.NaN;
  }

  private void calibration() {
    if (d.calibration().isEmpty()) {
      return;
    }
    open("calibration", "Decile calibration on the holdout", "Mean predicted vs actual holdout spend per customer, "
        + "per decile of predicted value (1 = highest), champion model.", "");
    chart("calibration");
    out.append("<details><summary>figures</summary><table class=\"figures\"><thead><tr><th>decile</th>"
        + "<th>predicted</th><th>actual</th></tr></thead><tbody>");
    for (ReportData.Decile c : d.calibration()) {
      row("D" + c.decile(), money(c.predicted()), money(c.actual()));
    }
    out.append("</tbody></table></details>");
    close();
  }

  private void features() {
    barTable("features", "Top features", "Mean absolute TreeSHAP contribution to the predicted spend, over the "
        + "scored customers.", "feature", "mean |contribution|", d.topFeatures(), true);
  }

  private void rejected() {
    barTable("rejected", "Rejected records by reason", "Input lines kept in rejected_records, by reason code; nothing "
        + "read is lost.", "reason", "lines", d.rejected(), false);
  }

  private void barTable(String id, String title, String note, String what, String unit, List<ReportData.Bar> bars,
      boolean decimals) {
    if (bars.isEmpty()) {
      return;
    }
    open(id, title, note, "");
    chart(id);
    out.append("<details><summary>figures</summary><table class=\"figures\"><thead><tr><th>").append(text(what))
        .append("</th><th>").append(text(unit)).append("</th></tr></thead><tbody>");
    for (ReportData.Bar b : bars) {
      row(b.label(), decimals ? f3(b.value()) : count((long) b.value()));
    }
    out.append("</tbody></table></details>");
    close();
  }

  private void ruleHits() {
    if (d.ruleHits().isEmpty()) {
      return;
    }
    open("rule-hits", "Decision rule hits", "How often each decision-table row matched in this run, with the reason "
        + "written in its annotation; rows never hit are candidates for review.", "wide");
    long max = Math.max(1, d.ruleHits().stream().mapToLong(ReportData.RuleHit::hits).max().orElse(1));
    out.append("<table class=\"figures rules\" id=\"rule-table\"><thead><tr><th>rule row</th><th class=\"l\">reason"
        + "</th><th>matched</th><th class=\"l barcol\"></th></tr></thead><tbody>");
    for (ReportData.RuleHit h : d.ruleHits()) {
      out.append(h.hits() == 0 ? "<tr class=\"never\">" : "<tr>").append("<td class=\"nowrap\">").append(text(h.rule()))
          .append("</td><td class=\"l wrap\">").append(text(h.annotation())).append("</td><td>")
          .append(count(h.hits())).append("</td><td class=\"l barcol\"><span class=\"bar\" style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", 100.0 * h.hits() / max)).append("%\"></span></td></tr>");
    }
    out.append("</tbody></table>");
    close();
  }

  private void outcomes() {
    if (d.outcomes().isEmpty()) {
      return;
    }
    open("outcomes", "Outcomes: uplift against control groups", "Per tier and action: the purchase rate of the "
        + "customers who got the action minus that of its control group (customers of the same tier held out of the "
        + "same action, chosen by id), with 95% confidence intervals; the same for revenue per customer in the outcome "
        + "window. An interval that contains 0 shows no effect yet.", "wide");
    chart("outcomes");
    out.append("<table class=\"figures outcomes\"><thead><tr><th>tier / action</th><th>customers (not held out)</th>"
        + "<th>held out (control)</th><th>responded</th><th>purchased</th><th>control purchased</th>"
        + "<th>purchase uplift [95% CI]</th><th>revenue / customer</th><th>control revenue / customer</th>"
        + "<th>revenue uplift [95% CI]</th></tr></thead><tbody>");
    for (ReportData.OutcomeRow o : d.outcomes()) {
      out.append("<tr>");
      cells(o.tier() + " / " + o.action(), count(o.treated()), count(o.control()), rate(o.responseRate()),
          rate(o.purchaseRate()), o.control() > 0 ? rate(o.controlPurchaseRate()) : "-",
          interval(o.uplift(), o.upliftLow(), o.upliftHigh(), 100, " pp"),
          cents(o.revenuePerCustomer()), o.control() > 0 ? cents(o.controlRevenuePerCustomer()) : "-",
          interval(o.revenueUplift(), o.revenueUpliftLow(), o.revenueUpliftHigh(), 1, ""));
      out.append("</tr>");
    }
    out.append("</tbody></table><p class=\"note\">* the interval excludes 0. Outcomes of all decision runs so far; "
        + "<code>valuetier outcomes report --run N</code> gives one run.</p>");
    close();
  }

  private static String interval(double e, double lo, double hi, double scale, String unit) {
    if (!Double.isFinite(e) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      return "-";
    }
    String f = scale == 100 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, f + "%s [" + f + ", " + f + "]%s", e * scale, unit, lo * scale, hi * scale,
        lo > 0 || hi < 0 ? " *" : "");
  }

  private static String rate(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f%%", 100 * x) : "-";
  }

  private void monitoring() {
    if (d.monitoring() == null || d.monitoring().isEmpty()) {
      return;
    }
    open("monitoring", "Monitoring", "Feature drift (PSI against the champion\u2019s training population), "
        + "calibration of the latest scoring run whose horizon has passed, decision shifts between the last two runs. "
        + "Warnings are highlighted; they never stop the run (thresholds: valuetier.monitor.*).", "wide");
    out.append("<table class=\"figures monitor\"><thead><tr><th>area</th><th class=\"l\">check</th><th>value</th>"
        + "<th>threshold</th><th>status</th><th class=\"l\">note</th></tr></thead><tbody>");
    for (ReportData.MonitorRow m : d.monitoring()) {
      out.append("<tr class=\"monitor-").append(text(m.status())).append("\"><td>").append(text(m.area()))
          .append("</td><td class=\"l\">").append(text(m.check())).append("</td><td>").append(text(m.value()))
          .append("</td><td>").append(text(m.threshold())).append("</td><td>")
          .append(text(m.status() == null ? "" : m.status().toUpperCase(Locale.ROOT))).append("</td><td class=\"l wrap\">")
          .append(text(m.note())).append("</td></tr>");
    }
    out.append("</tbody></table>");
    close();
  }

  private void open(String id, String title, String note, String cls) {
    out.append("<section id=\"").append(id).append('"').append(cls.isEmpty() ? "" : " class=\"" + cls + "\"")
        .append("><h2>").append(text(title)).append("</h2>");
    if (note != null) {
      out.append("<p class=\"note\">").append(text(note)).append("</p>");
    }
  }

  private void close() {
    out.append("</section>");
  }

  private void chart(String name) {
    out.append("<div class=\"chart\" data-chart=\"").append(name).append("\"></div>");
  }

  private void row(String... values) {
    out.append("<tr>");
    cells(values);
    out.append("</tr>");
  }

  private void cells(String... values) {
    for (String v : values) {
      out.append("<td>").append(text(v)).append("</td>");
    }
  }

  private String money(double v) {
    String n = String.format(Locale.ROOT, "%,.0f", v);
    return symbol.isEmpty() ? n : symbol + " " + n;
  }

  private String cents(double v) {
    String n = String.format(Locale.ROOT, "%,.2f", v);
    return symbol.isEmpty() ? n : symbol + " " + n;
  }

  private static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String pct(double part, double total) {
    return total == 0 ? "\u2014" : String.format(Locale.ROOT, "%.1f%%", 100 * part / total);
  }

  private static String f3(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
  }

  /**
   * The symbol people of a country that uses the currency write (GBP: £, USD: $, EUR: €), English-speaking countries
   * first; the code itself when there is none, and nothing for mixed or unknown currencies.
   */
  static String symbol(String code) {
    if (code == null || code.isBlank()) {
      return "";
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return code.strip();
    }
    String fallback = currency.getCurrencyCode();
    for (boolean english : new boolean[] {true, false}) {
      for (Locale l : Locale.getAvailableLocales()) {
        if (l.getCountry().length() != 2 || english != l.getLanguage().equals("en")) {
          continue;
        }
        try {
          if (currency.equals(Currency.getInstance(l))) {
            String s = currency.getSymbol(l);
            if (!s.equals(fallback)) {
              return s;
            }
          }
        } catch (IllegalArgumentException e) {
          // a region without a currency of its own (e.g. Antarctica)
        }
      }
    }
    return fallback;
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (is the echarts WebJar on the class path?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
