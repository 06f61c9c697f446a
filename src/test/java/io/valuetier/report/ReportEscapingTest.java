package io.valuetier.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values from data (rule names, reasons, tiers, actions, offers, file paths, settings) that look like markup stay
 * text: Chromium's own parse of the page, with and without scripts, holds no element or attribute that came from
 * data, and the chart data cannot end its script element. (Customer ids are not shown in the report; their path
 * into a page would be the same helper.)
 */
class ReportEscapingTest {
  @TempDir Path work;

  static final String HOSTILE = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> </script><script>"
      + "alert(2)</script> '><svg onload=alert(3)> <!-- &amp;";

  static ReportData hostile() {
    String h = HOSTILE;
    return new ReportData(
        "report " + h,
        new ReportData.Headline(1, "2026-12-03 10:15 UTC", "h2:file:/srv/" + h, "rules " + h, "model " + h, h),
        Map.of("rows " + h, "1 " + h),
        List.of(new ReportData.TierRow("tier " + h, 10, 100)),
        List.of(new ReportData.ActionRow("action " + h, List.of("channel " + h), List.of("offer " + h), 5, 1, 1, 2, 10)),
        new ReportData.Budget(100.0, 10),
        new ReportData.Published("to " + h, "/out/" + h, List.of(new ReportData.FileRow("file " + h + ".csv", 5,
            ReportData.FileKind.CONTROL_GROUP))),
        List.of(new ReportData.Bar("level " + h, 10)),
        List.of(new ReportData.Gains("gains " + h, List.of(new double[] {0, 0}, new double[] {100, 100}))),
        List.of(new ReportData.Decile(1, 10, 9)),
        List.of(new ReportData.ModelRow("model " + h, 0.5, 0.6, 0.3, 1, 2, 3, 4)),
        "model " + h,
        List.of(new ReportData.Bar("feature " + h, 0.3)),
        List.of(new ReportData.RuleHit("Value Tier#1 " + h, "reason " + h, 3)),
        List.of(new ReportData.Bar("REASON " + h, 7)),
        List.of(new ReportData.OutcomeRow("tier " + h, "action " + h, 10, 5, 0.1, 0.1, 0.05, 0.05, -0.1, 0.2, 1, 1, 0,
            -1, 1)),
        List.of(new ReportData.MonitorRow("drift " + h, "PSI " + h, "1 " + h, "0.25 " + h, "warn\"><b " + h,
            "note " + h)));
  }

  private static final Set<String> ELEMENTS = Set.of("html", "head", "meta", "title", "style", "body", "header", "h1",
      "p", "b", "main", "div", "section", "h2", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "code", "span",
      "details", "summary", "footer", "script");
  private static final Set<String> ATTRIBUTES = Set.of("lang", "charset", "name", "content", "class", "id", "style",
      "type", "open", "data-chart", "http-equiv");
  /** A start tag of the serialized DOM: attribute values are always double-quoted there, with " as &quot;. */
  private static final Pattern TAG =
      Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/\"']+(?:=\"[^\"]*\")?)*)\\s*/?>");
  private static final Pattern ATTRIBUTE = Pattern.compile("\\s+([^\\s=>/\"']+)(?:=\"[^\"]*\")?");

  @Test
  void theWrittenFileHoldsNoValueFromDataAsMarkup() throws Exception {
    // the page's own scripts (the error log, ECharts, the charts) are fixed code; the data is what may not leak
    String page = Files.readString(HtmlReport.write(hostile(), work.resolve("report.html")))
        .replaceAll("(?s)<script>.*?</script>", "<script></script>");
    for (String raw : List.of("<script>alert(1)</script>", "<img src=x", "<svg onload", "</script><script>alert(2)",
        "\"><img", "<!-- &amp;")) {
      assertFalse(page.contains(raw), "unescaped in the page: " + raw);
    }
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "shown as text");
    assertTrue(page.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(2)"), "escaped in the chart data");
  }

  @Test
  void withoutScriptsChromiumFindsNoElementOrAttributeFromData() throws Exception {
    Path html = HtmlReport.write(hostile(), work.resolve("report.html"));
    String dom = Chromium.openWithoutScripts(html, work).dom();
    Set<String> elements = new TreeSet<>();
    Set<String> attributes = new TreeSet<>();
    scan(dom, elements, attributes);
    assertTrue(ELEMENTS.containsAll(elements), "elements from data: " + minus(elements, ELEMENTS));
    assertTrue(ATTRIBUTES.containsAll(attributes), "attributes from data: " + minus(attributes, ATTRIBUTES));
    assertEquals(4, count(dom, "<script"), "the page's own scripts only (data, error log, ECharts, charts)");
    assertTrue(HtmlReportTest.visibleText(dom).contains("reason " + HOSTILE), "the reason is shown as written");
    assertTrue(HtmlReportTest.visibleText(dom).contains("file " + HOSTILE + ".csv"), "the file name as written");
  }

  @Test
  void withScriptsTheChartDataStaysDataAndNothingFromItRuns() throws Exception {
    Path html = HtmlReport.write(hostile(), work.resolve("report.html"));
    Chromium.Page page = Chromium.open(html, work);
    String dom = withoutScriptText(page.dom());
    assertTrue(dom.contains("data-charts=\"7\""), "the chart script parsed the data and ran to the end; log:\n"
        + page.log());
    assertFalse(dom.contains("data-errors="), "no script error");
    assertEquals(4, count(dom, "<script"), "no script element from data");
    assertEquals(0, count(dom, "<img"), "no image element from data");
    assertEquals(7, count(dom, "<svg"), "only the charts' SVG (tiers, service levels, gains, calibration, features, "
        + "rejected, outcomes)");
    Set<String> elements = new TreeSet<>();
    Set<String> attributes = new TreeSet<>();
    scan(dom, elements, attributes);
    assertFalse(elements.contains("img") || elements.contains("iframe"), "elements: " + elements);
    assertTrue(attributes.stream().noneMatch(a -> a.startsWith("on")), "no event handler attribute: " + attributes);
    assertFalse(page.log().contains("alert"), page.log());
  }

  /** The serialized DOM without the text of its script and style elements (code, not markup). */
  static String withoutScriptText(String dom) {
    return dom.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>")
        .replaceAll("(?s)(<style[^>]*>).*?</style>", "$1</style>");
  }

  @Test
  void aScriptThatSlippedIntoThePageWouldNotRunItsPolicyAllowsOnlyThePagesOwnScripts() throws Exception {
    Path html = HtmlReport.write(HtmlReportTest.sample(), work.resolve("report.html"));
    String page = Files.readString(html);
    Files.writeString(html, page.replace("</main>",
        "<script>document.body.dataset.injected = 'ran';</script></main>"));
    Chromium.Page opened = Chromium.open(html, work);
    assertTrue(opened.dom().contains("data-charts=\"7\""), "the page's own scripts ran; log:\n" + opened.log());
    assertFalse(opened.dom().contains("data-injected"), "the injected script was refused");
    assertTrue(opened.log().contains("Content Security Policy"), "Chromium says why: " + opened.log());
  }

  private static void scan(String dom, Set<String> elements, Set<String> attributes) {
    String markup = withoutScriptText(dom);
    Matcher tag = TAG.matcher(markup);
    while (tag.find()) {
      elements.add(tag.group(1).toLowerCase(java.util.Locale.ROOT));
      Matcher a = ATTRIBUTE.matcher(tag.group(2));
      while (a.find()) {
        attributes.add(a.group(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    assertTrue(elements.contains("table"), "the scan reads the page's markup");
  }

  private static List<String> minus(Set<String> a, Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.removeAll(b);
    return out;
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
