package io.valuetier.report;

import static io.valuetier.report.HtmlReportTest.visibleText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import io.valuetier.model.eval.RollingBacktest;
import io.valuetier.model.eval.RollingChoice;
import io.valuetier.model.eval.RollingRecord;
import io.valuetier.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's "Rolling-origin backtest" section on a real rolling backtest (the two fast baselines on a small
 * synthetic shop, a few seconds) recorded as {@code evaluate --rolling --record} records it: its figures, the champion
 * at each cutoff, when it ran and how to refresh it are on the page, escaped; without a record the section says how to
 * run one; a broken record is said, not fatal.
 */
class RollingSectionTest {
  static RollingBacktest.Report report;
  static RollingChoice choice;
  static LocalDate dataEnd;

  @TempDir Path work;

  @BeforeAll
  static void backtest() {
    // 300 customers buying at random over 18 months: 90-day holdouts leave month-end cutoffs 2022-12..2023-03
    CustomerLog.Builder b = CustomerLog.builder();
    Random random = new Random(7);
    int first = (int) LocalDate.of(2022, 1, 1).toEpochDay();
    int last = (int) LocalDate.of(2023, 6, 30).toEpochDay();
    for (int c = 0; c < 300; c++) {
      int day = first + random.nextInt(300);
      double rate = 0.005 + 0.05 * random.nextDouble();
      while (day <= last) {
        b.add("C" + c, day, 5 + 100 * random.nextDouble() * (1 + c % 3), 1, "P" + random.nextInt(20), "DE");
        day += 1 + (int) (-Math.log(1 - random.nextDouble()) / rate);
      }
    }
    CustomerLog log = b.build();
    ModelSettings ms = ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "naive,btyd")));
    report = RollingBacktest.run(log, ms, new RollingBacktest.Options(90, 12, 1), c -> { });
    dataEnd = log.lastDate();
    choice = RollingChoice.of(report, dataEnd, ms.championTolerance(), 0.02, ms.championCandidates());
  }

  private Path record(List<String> files) {
    Path registry = work.resolve("models");
    RollingRecord.write(registry, RollingRecord.asMap(report, choice, dataEnd, files,
        "./valuetier evaluate --rolling --record --transactions shop.csv --format canonical"));
    return registry;
  }

  @Test
  void aRecordedBacktestShowsEveryModelsMeanAndWorstCutoffAndTheChampionAtEachCutoff() {
    Path registry = record(List.of("data/shop <2023>.csv"));
    RollingData data = RollingData.read(registry);
    assertNotNull(data);
    assertTrue(report.cutoffs().size() >= 3, "cutoffs " + report.plan().cutoffs());
    assertTrue(data.recordedAt().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"), data.recordedAt());
    String html = HtmlReport.page(HtmlReportTest.sample().withRolling(data));
    String seen = visibleText(html);

    assertTrue(seen.contains("Rolling-origin backtest"), seen);
    assertTrue(seen.contains("Recorded " + RollingData.minute(choice.recordedAt().toString())
        + " on data/shop <2023>.csv (data to " + dataEnd
        + ", 300 customers); it chose " + choice.algorithm() + " as the champion"), seen);
    assertFalse(html.contains("shop <2023>"), "the file name is escaped");
    assertTrue(html.contains("shop &lt;2023&gt;"));
    for (String model : List.of("naive", "btyd")) {
      RollingBacktest.Summary s = report.summary(model);
      String row = String.format(Locale.ROOT, "%s %.3f worst %.3f (%s) %.3f worst %.3f (%s) %.1f%% worst %.1f%% (%s)"
              + " %+.1f%% worst %+.1f%% (%s)", model, s.spearman().mean(), s.spearman().worst(),
          s.spearman().worstCutoff(), s.normalizedGini().mean(), s.normalizedGini().worst(),
          s.normalizedGini().worstCutoff(), 100 * s.topDecileCapture().mean(), 100 * s.topDecileCapture().worst(),
          s.topDecileCapture().worstCutoff(), 100 * s.totalBias().mean(), 100 * s.totalBias().worst(),
          s.totalBias().worstCutoff());
      assertTrue(seen.contains(row), "summary row " + row + " in " + seen);
      String buy = String.format(Locale.ROOT, "%.3f worst %.3f (%s) %.3f worst %.3f (%s) \u2014", s.buyAuc().mean(),
          s.buyAuc().worst(), s.buyAuc().worstCutoff(), s.buyBrier().mean(), s.buyBrier().worst(),
          s.buyBrier().worstCutoff());
      assertTrue(seen.contains(buy), "buy AUC and Brier, no intervals for a baseline: " + buy + " in " + seen);
    }
    assertTrue(seen.contains("champion (at each cutoff)"), seen);
    for (RollingBacktest.Cutoff c : report.cutoffs()) {
      RollingBacktest.Entry champion = c.model("champion");
      String row = String.format(Locale.ROOT, "%s %s %s %.3f %+.1f%%", c.cutoff(), c.holdoutEnd(), champion.chosen(),
          champion.holdout().normalizedGini(), 100 * champion.holdout().totalError());
      assertTrue(seen.contains(row), "cutoff row " + row + " in " + seen);
    }
    assertTrue(seen.contains("To refresh it: ./valuetier evaluate --rolling --record --transactions shop.csv"
        + " --format canonical"), seen);
    assertTrue(html.contains("data-chart=\"rolling\""), "a place for the chart");
    assertFalse(seen.contains("No rolling backtest was recorded"));
  }

  @Test
  void withoutARecordTheSectionSaysHowToRunOne() {
    assertNull(RollingData.read(work.resolve("models")));
    String html = HtmlReport.page(HtmlReportTest.sample());
    String seen = visibleText(html);
    assertTrue(seen.contains("Rolling-origin backtest No rolling backtest was recorded in the model registry. Run one"
        + " on the shop\u2019s transaction files with " + RollingData.HOW), seen);
    assertFalse(html.contains("id=\"rolling-summary\""), "no empty table");
    assertFalse(html.contains("data-chart=\"rolling\""), "no empty chart");
  }

  @Test
  void aRecordThatCannotBeReadIsSaidWithoutFailingTheReport() throws Exception {
    Path registry = work.resolve("models");
    Files.createDirectories(registry);
    Files.writeString(registry.resolve(RollingRecord.FILE), "{\"cutoffs\": <script>");
    String seen = visibleText(HtmlReport.page(HtmlReportTest.sample().withRolling(RollingData.read(registry))));
    assertTrue(seen.contains("The recorded rolling backtest cannot be shown: cannot read the rolling backtest "
        + registry.resolve(RollingRecord.FILE)), seen);
    assertTrue(seen.contains(RollingData.HOW), seen);
  }

  @Test
  void withScriptsTheRollingChartIsDrawnOfflineWithTheOthers() throws Exception {
    Path html = HtmlReport.write(HtmlReportTest.sample().withRolling(RollingData.read(record(List.of("shop.csv")))),
        work.resolve("report.html"));
    Chromium.Page page = Chromium.open(html, work);
    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(page.dom());
    assertTrue(charts.find(), "the page script ran to the end; log:\n" + page.log());
    assertEquals(8, Integer.parseInt(charts.group(1)), "the seven of the sample and the rolling backtest's");
    Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)\"").matcher(page.dom());
    assertTrue(rendered.find());
    assertEquals(8, Integer.parseInt(rendered.group(1)), "each chart drew an SVG");
    assertFalse(page.dom().contains("data-errors="), "no script errors on the page");
    int at = page.dom().indexOf("data-chart=\"rolling\"");
    assertTrue(page.dom().indexOf("<svg", at) > at, "the rolling chart drew");
    assertTrue(page.dom().contains(">champion<"), "the champion's line is in the legend");
  }
}
