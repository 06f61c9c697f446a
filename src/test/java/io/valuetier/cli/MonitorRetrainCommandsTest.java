package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** monitor, retrain and models history as a user runs them, on an installation of their own with the CDNOW sample. */
class MonitorRetrainCommandsTest {
  @TempDir Path home;

  private record Run(int exit, String out) {}

  private Run run(String db, String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      List<String> all = new ArrayList<>(List.of(args));
      all.add("--home=" + home);
      all.add("--db=" + db);
      int code = Main.run(all.toArray(String[]::new));
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  private static JsonNode lastJson(Run r) throws Exception {
    String[] lines = r.out().strip().split("\n");
    return Json.MAPPER.readTree(lines[lines.length - 1]);
  }

  private void install() throws Exception {
    CliRun.install(home, "config", "routes");
    // a faster training for the test: two algorithms, fewer trees (later lines win)
    Files.writeString(home.resolve("config/application.properties"),
        "\nvaluetier.model.algorithms=gbt,btyd\nvaluetier.model.gbt.trees=40\n", StandardOpenOption.APPEND);
  }

  @Test
  void monitorWarnsWithoutFailingAndRetrainLogsItsDecision() throws Exception {
    install();
    String db = "jdbc:h2:file:" + home.resolve("data/test") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
        + "CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    Path cdnow = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath()
        .resolve("data/sample/CDNOW_sample.txt");
    assertEquals(0, run(db, "ingest", "--transactions", cdnow.toString(), "--format", "cdnow").exit());
    assertEquals(0, run(db, "train").exit());

    Run monitor = run(db, "monitor", "--json");
    assertEquals(0, monitor.exit(), monitor.out());
    JsonNode m = lastJson(monitor);
    assertTrue(m.path("drift").path("max_psi").asDouble(1) < 1e-9, "trained on this very population: " + m);
    assertTrue(m.path("notices").asInt() >= 2, "no scoring run, no decision run yet: " + m);

    Run nothing = run(db, "retrain", "--json");
    assertEquals(0, nothing.exit(), nothing.out());
    assertEquals("NO_TRIGGER", lastJson(nothing).path("decision").asText());

    Run forced = run(db, "retrain", "--json", "--force");
    assertEquals(0, forced.exit(), forced.out());
    JsonNode f = lastJson(forced);
    String decision = f.path("decision").asText();
    assertTrue(List.of("PROMOTED", "REFUSED").contains(decision), f.toString());
    double margin = io.valuetier.config.Settings.load(home, java.util.Map.of())
        .doubleValue("valuetier.retrain.min-improvement", 0, 1);
    assertEquals(f.path("comparison").path("improvement").asDouble() >= margin, decision.equals("PROMOTED"),
        f.toString());

    Run history = run(db, "models", "history", "--json");
    assertEquals(0, history.exit());
    List<String> events = new ArrayList<>();
    lastJson(history).forEach(e -> events.add(e.path("event").asText()));
    assertEquals("trained", events.getFirst());
    assertTrue(events.containsAll(List.of("retrain_not_needed", "retrain_triggered", "challenger_trained", "compared")),
        events.toString());
    assertEquals(decision.toLowerCase(java.util.Locale.ROOT), events.getLast());
    Run text = run(db, "models", "history");
    assertTrue(text.out().contains("compared") && text.out().contains("holdout"), text.out());
  }
}
