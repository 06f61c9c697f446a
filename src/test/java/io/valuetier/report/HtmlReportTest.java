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

/** The report opens offline in headless Chromium, draws every chart and logs no error. */
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
        "valuetier report <test>",
        "2026-11-28T10:00:00Z",
        summary,
        List.of(new ReportData.Bar("Platinum", 120), new ReportData.Bar("Gold", 500), new ReportData.Bar("Silver", 1200)),
        List.of(new ReportData.Bar("Platinum", 250000), new ReportData.Bar("Gold", 300000)),
        List.of(new ReportData.Bar("VIP_CALL", 100), new ReportData.Bar("NONE", 3000)),
        gains,
        cal,
        List.of(new ReportData.ModelRow("gbt", 0.65, 0.85, 0.55, 300, 1200, 1.1e6, 1.0e6),
            new ReportData.ModelRow("bgnbd", 0.62, 0.84, 0.5, 320, 1300, 1.2e6, 1.0e6)),
        "gbt",
        List.of(new ReportData.Bar("monetary_total", 0.4), new ReportData.Bar("recency_days", 0.3)),
        List.of(new ReportData.Bar("Value Tier #1: top 2% value", 90), new ReportData.Bar("Value Tier #5: new customer", 0)),
        List.of(new ReportData.Bar("MISSING_CUSTOMER_ID", 135080), new ReportData.Bar("DUPLICATE", 5225)),
        List.of(
            new ReportData.OutcomeRow("Gold", "VOUCHER_10", 400, 100, 0.3, 0.2, 0.1, 0.1, 0.02, 0.18, 45.0, 30.0, 15.0,
                4.0, 26.0),
            new ReportData.OutcomeRow("Silver", "EMAIL_NEWS", 300, 0, 0.1, 0.05, 0, Double.NaN, Double.NaN, Double.NaN,
                8.0, 0, Double.NaN, Double.NaN, Double.NaN)));
  }

  @Test
  void theReportRendersEveryChartOfflineWithoutConsoleErrors() throws Exception {
    Path html = HtmlReport.write(sample(), work.resolve("report.html"));
    String text = Files.readString(html);
    assertFalse(text.contains("src=\"http"), "no external scripts");
    assertTrue(text.contains("valuetier report &lt;test&gt;"), "the title is escaped");

    Chromium.Page page = Chromium.open(html, work);

    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(page.dom());
    assertTrue(charts.find(), "the page script ran to the end; log:\n" + page.log());
    int expected = 9; // tiers, value, actions, gains, calibration, features, rule hits, rejected, outcomes
    assertEquals(expected, Integer.parseInt(charts.group(1)));
    Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)\"").matcher(page.dom());
    assertTrue(rendered.find());
    assertEquals(expected, Integer.parseInt(rendered.group(1)), "each chart drew an SVG");
    assertFalse(page.dom().contains("data-errors="), "no script errors on the page");
    assertFalse(page.log().contains("Uncaught"), page.log());
    assertTrue(page.dom().contains("gbt (champion)"), "the model table marks the champion");
    assertTrue(page.dom().contains("10.0 pp [2.0, 18.0] *"), "purchase uplift with its interval, marked significant");
    assertTrue(page.dom().contains("15.00 [4.00, 26.00] *"), "revenue uplift with its interval");
    assertTrue(page.dom().contains("Silver / EMAIL_NEWS"), "an action without a control group is listed");
  }
}
