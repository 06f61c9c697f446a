package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --strict} as a user runs it, on an installation of their own with the CDNOW sample: a refused rule edit
 * leaves the default run at exit code 0 (the earlier version decides, and the summary says so) and makes the strict run
 * exit with {@value RunCommand#STRICT_EXIT} after printing its summary.
 */
@Tag("slow")
class RunStrictCommandTest {
  @TempDir Path home;

  /** The command with this test's home, database and the CDNOW sample as its transactions. */
  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home=" + home);
    all.add("--db=jdbc:h2:file:" + home.resolve("data/test") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
        + "CASE_INSENSITIVE_IDENTIFIERS=TRUE");
    all.addAll(List.of("--transactions", repo().resolve("data/sample/CDNOW_sample.txt").toString(),
        "--format", "cdnow"));
    return CliRun.run(all.toArray(String[]::new));
  }

  private static Path repo() {
    return Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
  }

  private void install() throws Exception {
    for (String dir : List.of("config", "routes", "dmn", "rules")) {
      try (Stream<Path> files = Files.walk(repo().resolve(dir))) {
        for (Path p : files.toList()) {
          Path to = home.resolve(repo().relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    // a faster run for the test: two algorithms, fewer trees, no holdout evaluation (later lines win)
    Files.writeString(home.resolve("config/application.properties"),
        "\nvaluetier.model.algorithms=gbt,btyd\nvaluetier.model.gbt.trees=20\n"
            + "valuetier.run.min-calibration-days=36500\n", StandardOpenOption.APPEND);
  }

  @Test
  void aRefusedRuleEditPassesTheDefaultRunAndFailsTheStrictRunAfterItsSummary() throws Exception {
    install();
    CliRun first = run("run", "--strict");
    assertEquals(0, first.exit(), first.out() + first.err());
    assertTrue(first.out().contains("model step: train path, because no champion yet"), first.out());

    Path dmn = home.resolve("dmn/customer-tiering.dmn");
    String cell = "<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>";
    String text = Files.readString(dmn);
    assertTrue(text.contains(cell));
    Files.writeString(dmn, text.replace(cell, "<inputEntry id=\"vt-r5-c4\"><text>[80..95</text>"));

    CliRun lenient = run("run");
    assertEquals(0, lenient.exit(), lenient.out() + lenient.err());
    assertTrue(lenient.out().contains("RULE SET REFUSED"), lenient.out());
    assertTrue(lenient.out().contains("model step: score path, because champion"), lenient.out());
    assertTrue(lenient.out().contains("memory: peak heap"), lenient.out());

    CliRun strict = run("run", "--strict", "--json");
    assertEquals(RunCommand.STRICT_EXIT, strict.exit(), strict.out() + strict.err());
    String[] lines = strict.out().strip().split("\n");
    JsonNode summary = Json.MAPPER.readTree(lines[lines.length - 1]);
    assertTrue(summary.path("rule_set_refused").path("messages").toString().contains("Value Percentile"),
        summary::toString);
    assertEquals(summary.path("rule_set").asText(), summary.path("rule_set_refused").path("version_used").asText());
    assertTrue(strict.err().contains("--strict: the rule set on disk"), strict.err());
    // the same figures as bench-run --json: seconds and rates per stage, peak heap and resident, overall and per stage
    assertEquals("score", summary.path("model_path").asText(), summary::toString);
    assertTrue(summary.path("stage_seconds").has("predict") && !summary.path("stage_seconds").has("train"),
        summary::toString);
    assertTrue(summary.path("stage_rates").path("decide_decisions_per_second").asDouble() > 0, summary::toString);
    for (String key : new String[] {"peak_heap_bytes", "max_heap_bytes", "peak_resident_bytes"}) {
      assertTrue(summary.path(key).asLong() > 0, key + ": " + summary);
    }
    assertTrue(summary.path("stage_peak_heap_bytes").path("decide").asLong() > 0, summary::toString);
    assertTrue(summary.path("stage_peak_resident_bytes").path("publish").asLong() > 0, summary::toString);
  }
}
