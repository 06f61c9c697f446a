package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code valuetier bench-run} as a user runs it, on a small synthetic shop. */
class BenchRunCommandTest {
  @org.junit.jupiter.api.io.TempDir Path work;

  @Test
  void aSmallShopRunsEndToEndAndEveryScoredCustomerIsDecidedAndPublishedWithTheFiguresOfEachStage() throws Exception {
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    CliRun r = run("bench-run", "--home=" + home, "--customers", "2000", "--seed", "7", "--json", "--then-score");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());

    assertEquals(2000, j.get("customers_generated").asInt());
    assertEquals(j.get("rows_generated").asLong(), j.get("rows_read").asLong(), "every generated row is read");
    assertTrue(j.get("bad_rows_generated").asLong() > 0, r.out());
    assertTrue(j.get("rows_rejected").asLong() >= j.get("bad_rows_generated").asLong(),
        "the unreadable rows are rejected: " + r.out());
    long scored = j.get("customers_scored").asLong();
    assertTrue(scored > 1000 && scored <= 2000, "customers scored: " + scored);
    assertEquals(scored, j.get("decisions").asLong(), "a decision per scored customer");
    assertEquals(scored, j.get("actions_published").asLong(), "an action published per decision");
    assertTrue(j.get("publish_failure").isNull(), r.out());

    for (String stage : List.of("ingest", "read", "train", "evaluate", "predict", "decide", "publish")) {
      assertTrue(j.get("stage_seconds").get(stage).asDouble() >= 0, "seconds of " + stage + ": " + r.out());
    }
    // where predict's and picks' time went, each part at most its stage
    for (String[] part : new String[][] {{"predict", "score"}, {"predict", "explain"}, {"predict", "write"},
        {"picks", "read"}, {"picks", "train"}, {"picks", "write"}}) {
      double v = j.get("stage_parts").get(part[0]).get(part[1]).asDouble(-1);
      assertTrue(v >= 0 && v <= j.get("stage_seconds").get(part[0]).asDouble() + 0.01,
          part[0] + "." + part[1] + ": " + r.out());
    }
    for (String rate : List.of("ingest_rows_per_second", "predict_customers_per_second",
        "decide_decisions_per_second", "publish_actions_per_second")) {
      assertTrue(j.get("stage_rates").get(rate).asDouble() > 0, rate + ": " + r.out());
    }
    assertTrue(j.get("peak_heap_bytes").asLong() > 0, r.out());
    assertTrue(j.get("peak_resident_bytes").asLong() >= j.get("peak_heap_bytes").asLong() / 4, r.out());
    assertEquals("train", j.get("model_path").asText());

    // --then-score: the next day's file (one buyer in 100 customers) scored with the champion just trained
    JsonNode d = j.get("scoring_run");
    assertEquals("score", d.get("model_path").asText(), d.toString());
    assertEquals(20, d.get("rows_read").asLong(), d.toString());
    assertTrue(!d.get("stage_seconds").has("train") && !d.get("stage_seconds").has("evaluate"), d.toString());
    assertTrue(d.get("customers_scored").asLong() >= scored, d.toString());
    assertEquals(d.get("customers_scored").asLong(), d.get("actions_published").asLong(), d.toString());
    assertTrue(d.get("stage_peak_heap_bytes").get("predict").asLong() > 0, d.toString());
  }

  @Test
  void aStoreThatAlreadyHoldsRunsIsRefusedWithTheReason() {
    // a fresh store is what is measured: the same database twice would measure a re-run (models reused, nothing new)
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    String url = "jdbc:h2:file:" + work.resolve("v") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    CliRun first = run("bench-run", "--home=" + home, "--db=" + url, "--customers", "300");
    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("actions published"), "without --json the figures in words: " + first.out());
    CliRun again = run("bench-run", "--home=" + home, "--db=" + url, "--customers", "300");
    assertEquals(2, again.exit(), again.out());
    assertTrue(again.err().contains("already holds decision runs"), again.err());
  }
}
