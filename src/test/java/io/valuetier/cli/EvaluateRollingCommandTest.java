package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code valuetier evaluate --rolling} as a user runs it, on a fifth of the bundled CDNOW sample with the two fast
 * baselines: the command reads the file without a split of its own (the product recommender is judged on one split
 * only), reports every cutoff and each model's summary, and with {@code --record} keeps the choice and the whole
 * backtest in the model registry.
 */
class EvaluateRollingCommandTest {
  @TempDir Path work;

  @Test
  void theRollingBacktestRunsFromTheCommandLineAndReportsEveryCutoffAndModel() throws Exception {
    Path repo = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    // an installation of its own, so that --record writes to its model registry, not the repository's
    Path home = work.resolve("home");
    CliRun.install(home, "config");
    String sample = repo.resolve("data/sample/CDNOW_sample.txt").toString();
    CliRun r = run("evaluate", "--home=" + home, "--rolling", "--record", "--transactions", sample, "--format",
        "cdnow", "--algorithms", "naive,btyd", "--customer-share", "0.2", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertTrue(j.get("cutoffs").size() >= 3, r.out());
    for (JsonNode c : j.get("cutoffs")) {
      assertTrue(c.get("models").has("naive") && c.get("models").has("btyd"), c.toString());
      assertTrue(c.get("models").get("btyd").get("customers").asInt() > 0, c.toString());
    }
    assertTrue(j.get("summary").has("btyd") && j.get("summary").has("naive"), r.out());
    assertEquals(0.2, j.get("customer_share").asDouble(), 1e-9);

    // --record keeps the choice and, beside it, the whole backtest for the HTML report
    Path models = home.resolve("models");
    assertTrue(Files.isRegularFile(models.resolve("rolling-choice.json")), r.out());
    assertEquals(models.resolve("rolling-backtest.json").toString(), j.get("backtest_recorded").asText());
    JsonNode kept = Json.MAPPER.readTree(Files.readString(models.resolve("rolling-backtest.json")));
    assertEquals(j.get("cutoffs"), kept.get("cutoffs"), "every cutoff as --json prints it");
    assertEquals(j.get("summary"), kept.get("summary"));
    assertEquals(j.get("choice").get("algorithm").asText(), kept.get("chosen").asText());
    assertEquals(j.get("choice").get("recorded_at").asText(), kept.get("recorded_at").asText());
    assertEquals("1998-06-30", kept.get("data_end").asText());
    assertEquals(sample, kept.get("transactions").get(0).asText());
    assertEquals("./valuetier evaluate --rolling --record --transactions " + sample + " --format cdnow"
        + " --customer-share=0.2 --algorithms=naive,btyd", kept.get("refresh").asText());
    assertFalse(Files.exists(models.resolve("rolling-backtest.json.tmp")), "written through a temporary file");
  }

  @Test
  void theRollingBacktestSaysHowManyLinesOfEachFileWereRejectedAndWhy() throws Exception {
    Path repo = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    List<String> lines = new ArrayList<>(
        Files.readAllLines(repo.resolve("data/sample/CDNOW_sample.txt")).subList(0, 2000));
    lines.add(" 00001 0001 19971301  1   12.50"); // month 13
    lines.add(" 00002 0001 19970105  1   abc");
    Path file = work.resolve("bad-cdnow.txt");
    Files.write(file, lines);
    CliRun r = run("evaluate", "--rolling", "--transactions", file.toString(), "--format", "cdnow", "--algorithms",
        "naive,btyd");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains(file + ": 2,002 lines read, 1,996 accepted"), r.out());
    assertTrue(r.out().contains("BAD_DATE=1") && r.out().contains("BAD_PRICE=1"), r.out());
  }
}
