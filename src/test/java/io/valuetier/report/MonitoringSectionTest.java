package io.valuetier.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.Chromium;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's monitoring table, in headless Chromium: one row per figure, warnings highlighted, no script error. */
class MonitoringSectionTest {
  @TempDir Path work;

  @Test
  void theMonitoringTableHighlightsWarnings() throws Exception {
    List<ReportData.MonitorRow> rows = List.of(
        new ReportData.MonitorRow("drift", "PSI tenure_days", "0.412", "0.25", "warn", "training 2011-06-08 vs now"),
        new ReportData.MonitorRow("drift", "PSI recency_days", "0.120", "0.25", "notice", "moderate"),
        new ReportData.MonitorRow("calibration", "predicted / actual total", "1.04", "1 \u00b1 0.25", "ok", "fine"));
    Path html = HtmlReport.write(HtmlReportTest.sample().withMonitoring(rows), work.resolve("report.html"));
    Chromium.Page page = Chromium.open(html, work);
    String dom = page.dom();
    assertTrue(dom.contains("id=\"monitoring\""), "the section is drawn; log:\n" + page.log());
    assertEquals(1, count(dom, "class=\"monitor-warn\""));
    assertEquals(1, count(dom, "class=\"monitor-notice\""));
    assertEquals(1, count(dom, "class=\"monitor-ok\""));
    assertTrue(dom.contains("PSI tenure_days"));
    assertFalse(dom.contains("data-errors="), "no script errors on the page");

    Path without = HtmlReport.write(HtmlReportTest.sample(), work.resolve("without.html"));
    assertFalse(Chromium.open(without, work).dom().contains("id=\"monitoring\""), "no rows, no section");
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
