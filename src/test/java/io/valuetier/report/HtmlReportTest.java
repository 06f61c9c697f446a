package io.valuetier.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in headless Chromium: with scripts it draws every chart offline without an error; without scripts (as a
 * mail client shows it) every figure marketing acts on is in its tables; marketing sections come first.
 */
class HtmlReportTest {
  @TempDir Path work;

  static ReportData sample() {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("rows read", "541,909");
    summary.put("customers scored", "4,338");
    List<ReportData.Gains> gains = new ArrayList<>();
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i <= 100; i += 10) {
      pts.add(new double[] {i, Math.min(100, 100 * Math.sqrt(i / 100.0))});
    }
    gains.add(new ReportData.Gains("gbt", pts));
    List<ReportData.Decile> cal = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      cal.add(new ReportData.Decile(d, 1000.0 / d, 900.0 / d));
    }
    return new ReportData(
        "Customer value report <test>",
        new ReportData.Headline(7, "2026-12-03 10:15 UTC", "h2:file:/srv/shop/data/valuetier", "c2aa4afa8deeb238",
            "gbt-v1", "GBP"),
        summary,
        List.of(new ReportData.TierRow("Platinum", 120, 250000, 300.0, 4000.0), new ReportData.TierRow("Gold", 500, 300000),
            new ReportData.TierRow("Silver", 1200, 12345)),
        List.of(
            new ReportData.ActionRow("VIP_CALL", List.of("PHONE"), List.of("Private preview with a gift"), 100, 12, 3,
                40, 3880),
            new ReportData.ActionRow("NEWSLETTER", List.of("EMAIL"), List.of("Seasonal newsletter"), 700, 70, 0, 0, 0),
            new ReportData.ActionRow("NO_CONTACT", List.of(), List.of(), 1008, 0, 0, 0, 0)),
        new ReportData.Budget(50000.0, 3880),
        new ReportData.Published("direct:write-action-files", "/srv/shop/out/actions/run-7", List.of(
            new ReportData.FileRow("VIP_CALL.csv", 100, ReportData.FileKind.CONTACTS),
            new ReportData.FileRow("VIP_CALL.control-group.csv", 12, ReportData.FileKind.CONTROL_GROUP),
            new ReportData.FileRow("NO_CONTACT.csv", 1008, ReportData.FileKind.NO_CONTACT),
            new ReportData.FileRow("actions.jsonl", 1890, ReportData.FileKind.ALL_DECISIONS))),
        List.of(new ReportData.Bar("Dedicated", 120), new ReportData.Bar("Priority", 500),
            new ReportData.Bar("Standard", 1200)),
        gains,
        cal,
        List.of(new ReportData.ModelRow("gbt", 0.65, 0.85, 0.55, 300, 1200, 1.1e6, 1.0e6),
            new ReportData.ModelRow("bgnbd", 0.62, 0.84, 0.5, 320, 1300, 1.2e6, 1.0e6)),
        "gbt",
        List.of(new ReportData.Bar("monetary_total", 0.4), new ReportData.Bar("recency_days", 0.3)),
        List.of(new ReportData.RuleHit("Value Tier#1",
                "Too little purchase history to score reliably: treated as a new customer whatever the prediction "
                    + "says, and this annotation is long enough that a chart label would have cut it off.", 90),
            new ReportData.RuleHit("Marketing Action#5", "new customer", 0)),
        List.of(new ReportData.Bar("MISSING_CUSTOMER_ID", 135080), new ReportData.Bar("DUPLICATE", 5225)),
        List.of(
            new ReportData.OutcomeRow("Gold", "VOUCHER_10", 400, 100, 0.3, 0.2, 0.1, 0.1, 0.02, 0.18, 45.0, 30.0, 15.0,
                4.0, 26.0),
            new ReportData.OutcomeRow("Silver", "EMAIL_NEWS", 300, 0, 0.1, 0.05, 0, Double.NaN, Double.NaN, Double.NaN,
                8.0, 0, Double.NaN, Double.NaN, Double.NaN)),
        List.of());
  }

  /** The page's text as a reader sees it: tags dropped, entities read. */
  static String visibleText(String dom) {
    String body = dom.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<style.*?</style>", " ");
    return body.replaceAll("<[^>]*>", " ").replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&amp;", "&").replaceAll("[\\s\u00a0]+", " ");
  }

  @Test
  void withScriptsTheReportDrawsEveryChartOfflineWithoutConsoleErrors() throws Exception {
    Path html = HtmlReport.write(sample(), work.resolve("report.html"));
    String text = Files.readString(html);
    assertFalse(text.contains("src=\"http"), "no external scripts");
    assertTrue(text.contains("Customer value report &lt;test&gt;"), "the title is escaped");

    Chromium.Page page = Chromium.open(html, work);

    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(page.dom());
    assertTrue(charts.find(), "the page script ran to the end; log:\n" + page.log());
    int expected = count(ReportEscapingTest.withoutScriptText(page.dom()), "data-chart=\"");
    assertEquals(7, expected, "one place per chart: tiers, service levels, gains, calibration, features, rejected, "
        + "outcomes");
    assertEquals(expected, Integer.parseInt(charts.group(1)));
    Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)\"").matcher(page.dom());
    assertTrue(rendered.find());
    assertEquals(expected, Integer.parseInt(rendered.group(1)), "each chart drew an SVG");
    assertFalse(page.dom().contains("data-errors="), "no script errors on the page");
    assertFalse(page.log().contains("Uncaught"), page.log());
    for (String id : List.of("tiers", "actions", "files", "service-levels", "models", "gains", "calibration",
        "features", "rule-hits", "rejected", "outcomes")) {
      assertTrue(page.dom().contains("<section id=\"" + id + "\""), "section " + id);
    }
  }

  @Test
  void withoutScriptsEveryFigureMarketingActsOnIsInTheTables() throws Exception {
    Path html = HtmlReport.write(sample(), work.resolve("report.html"));
    Chromium.Page page = Chromium.openWithoutScripts(html, work);
    String dom = page.dom();
    assertFalse(dom.contains("data-charts="), "scripts were off: the chart script did not run");
    assertFalse(dom.contains("<svg"), "no chart drawn without scripts");
    String seen = visibleText(dom);

    assertTrue(seen.contains("Decision run 7 · written 2026-12-03 10:15 UTC · store h2:file:/srv/shop/data/valuetier"
        + " · rule set c2aa4afa8deeb238 · model gbt-v1 · amounts in GBP"), seen);
    assertTrue(seen.contains("Platinum 120 6.6% £ 250,000 £ 2,083 £ 300 – £ 4,000 Gold 500 27.5% £ 300,000 £ 600 — "
        + "Silver 1,200 65.9% £ 12,345 £ 10 —"), "tiers in the order given, with customers, value and interval: " + seen);
    assertTrue(seen.contains("all tiers 1,820 100.0% £ 562,345"), "tier totals");
    assertTrue(seen.contains("offer budget used £ 3,880 of £ 50,000 (7.8%)"), "budget among the key figures: " + seen);
    assertTrue(seen.contains("VIP_CALL PHONE Private preview with a gift (3 without it: budget spent) 100 12 £ 40 "
        + "£ 3,880"), "action with channel, offer, cost per contact and cost: " + seen);
    assertTrue(seen.contains("NEWSLETTER EMAIL Seasonal newsletter 700 70 £ 0 £ 0"), seen);
    assertTrue(seen.contains("NO_CONTACT no contact — 1,008 — — £ 0"), seen);
    assertTrue(seen.contains("Offer budget: £ 3,880 used of £ 50,000 (7.8%"), seen);
    assertTrue(seen.contains("Folder /srv/shop/out/actions/run-7"), seen);
    assertTrue(seen.contains("VIP_CALL.csv 100 contact list VIP_CALL.control-group.csv 12 control group: do not "
        + "contact NO_CONTACT.csv 1,008 no contact: for the record actions.jsonl 1,890 every decision, JSON Lines"), "files with their rows: " + seen);
    assertTrue(seen.contains("Dedicated 120 6.6% Priority 500 27.5% Standard 1,200 65.9%"), "service levels: " + seen);
    assertTrue(seen.contains("Value Tier#1 Too little purchase history to score reliably: treated as a new customer "
        + "whatever the prediction says, and this annotation is long enough that a chart label would have cut it off."
        + " 90"), "rule rows with their whole annotation: " + seen);
    assertTrue(seen.contains("gbt (champion)"), "the model table marks the champion");
    assertTrue(seen.contains("D1 £ 1,000 £ 900"), "calibration figures behind the chart");
    assertTrue(seen.contains("10% 31.6% 10%"), "gains figures behind the chart: " + seen);
    assertTrue(seen.contains("monetary_total 0.400"), "feature figures behind the chart");
    assertTrue(seen.contains("MISSING_CUSTOMER_ID 135,080"), "rejected figures behind the chart");
    assertTrue(seen.contains("10.0 pp [2.0, 18.0] *"), "purchase uplift with its interval, marked significant");
    assertTrue(seen.contains("15.00 [4.00, 26.00] *"), "revenue uplift with its interval");
    assertTrue(seen.contains("Silver / EMAIL_NEWS"), "an action without a control group is listed");
  }

  @Test
  void theSectionsMarketingActsOnComeBeforeTheModelSections() throws Exception {
    Path html = HtmlReport.write(sample().withMonitoring(List.of(
        new ReportData.MonitorRow("drift", "PSI tenure_days", "0.412", "0.25", "warn", "training vs now"))),
        work.resolve("report.html"));
    String dom = Chromium.openWithoutScripts(html, work).dom();
    List<String> order = List.of("key-figures", "tiers", "actions", "files", "service-levels", "model-part", "run",
        "models", "gains", "calibration", "features", "rejected", "rule-hits", "outcomes", "monitoring");
    int last = -1;
    for (String id : order) {
      int at = dom.indexOf("id=\"" + id + "\"");
      assertTrue(at > last, id + " comes after the section before it in " + order);
      last = at;
    }
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
