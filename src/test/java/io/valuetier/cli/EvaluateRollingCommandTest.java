package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code valuetier evaluate --rolling} as a user runs it, on a fifth of the bundled CDNOW sample with the two fast
 * baselines: the command reads the file without a split of its own (the product recommender is judged on one split
 * only) and reports every cutoff and each model's summary.
 */
class EvaluateRollingCommandTest {
  @Test
  void theRollingBacktestRunsFromTheCommandLineAndReportsEveryCutoffAndModel() throws Exception {
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    CliRun r = run("evaluate", "--home=" + home, "--rolling", "--transactions",
        home.resolve("data/sample/CDNOW_sample.txt").toString(), "--format", "cdnow", "--algorithms", "naive,btyd",
        "--customer-share", "0.2", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertTrue(j.get("cutoffs").size() >= 3, r.out());
    for (JsonNode c : j.get("cutoffs")) {
      assertTrue(c.get("models").has("naive") && c.get("models").has("btyd"), c.toString());
      assertTrue(c.get("models").get("btyd").get("customers").asInt() > 0, c.toString());
    }
    assertTrue(j.get("summary").has("btyd") && j.get("summary").has("naive"), r.out());
    assertEquals(0.2, j.get("customer_share").asDouble(), 1e-9);
  }
}
