package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.ChallengerRuleSets;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision commands as a user runs them: exit codes and what they print. */
class DecisionCommandsTest {
  @TempDir Path home;
  private String db;

  @BeforeEach
  void installation() throws Exception {
    TestRuleSets.shipped().files().writeTo(home);
    Files.createDirectories(home.resolve("config"));
    Files.copy(TestRuleSets.home().resolve("config/application.properties"), home.resolve("config/application.properties"));
    db = "jdbc:h2:file:" + home.resolve("data/test") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  private record Run(int exit, String out) {}

  private Run run(String... args) {
    PrintStream old = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 2];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--home=" + home;
      all[args.length + 1] = "--db=" + db;
      int code = Main.run(all);
      return new Run(code, buf.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
      System.setErr(oldErr);
    }
  }

  @Test
  void decideDecidesEveryScoredCustomerAndExplainTellsWhy() throws Exception {
    try (Store store = Store.open(db, "root", "", 2)) { // the user of config/application.properties
      SyntheticPopulation.write(store, 500, 3);
    }
    Run decide = run("decide", "--json");
    assertEquals(0, decide.exit(), decide.out());
    JsonNode j = Json.MAPPER.readTree(decide.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals(500, j.get("decisions").asLong());
    assertTrue(j.get("decisions_per_second").asLong() > 0);
    assertTrue(j.get("per_tier").size() >= 5, j.toString());
    Run explain = run("explain", "C0000001");
    assertEquals(0, explain.exit(), explain.out());
    assertTrue(explain.out().contains("because rule"), explain.out());
    assertTrue(explain.out().contains("reason: "), explain.out());
    // a deploy from the workbench is listed with its author and message
    try (Store store = Store.open(db, "root", "", 2)) {
      RuleSetHistory h = new RuleSetHistory(store);
      h.activate(h.active().orElseThrow().version(), "DEPLOY", "valid", "analyst+deploy key 0123abcd",
          "Gold from the 90th");
      // then one deployed as the challenger: listed and marked, but never the active version
      h.activate("abcdef0123456789", RuleSetHistory.CHALLENGER, "decides 10% of the customers; valid",
          "analyst+deploy key 0123abcd", "Gold from the 85th for some");
      assertEquals("DEPLOY", h.active().orElseThrow().reason());
    }
    Run history = run("rules", "history");
    assertTrue(history.out().contains("INITIAL"), history.out());
    assertTrue(history.out().lines().anyMatch(l -> l.contains("DEPLOY")
        && l.contains("by analyst+deploy key 0123abcd: \"Gold from the 90th\"") && l.endsWith("<- active")),
        history.out());
    assertTrue(history.out().lines().anyMatch(l -> l.contains("abcdef0123456789") && l.contains("CHALLENGER")
        && l.contains("Gold from the 85th for some") && l.endsWith("<- challenger deployed last")), history.out());
    assertEquals(1, history.out().lines().filter(l -> l.endsWith("<- active")).count(), history.out());
    assertEquals(1, run("explain", "nobody").exit());
  }

  @Test
  void withAChallengerDecideSplitsTheCustomersAndRulesCompareAddsUpToTheRun() throws Exception {
    ChallengerRuleSets.goldEndsAt90(home.resolve("challenger"));
    ChallengerRuleSets.failingItsTests(home.resolve("refused"));
    Files.writeString(home.resolve("config/application.properties"), "\nvaluetier.decide.challenger.dir=challenger\n"
        + "valuetier.decide.challenger.share=0.3\n", StandardOpenOption.APPEND);
    try (Store store = Store.open(db, "root", "", 2)) {
      SyntheticPopulation.write(store, 500, 3);
    }
    Run decide = run("decide", "--json");
    assertEquals(0, decide.exit(), decide.out());
    assertTrue(decide.out().contains("challenger rule set ") && decide.out().contains("decides 30.0% of the customers"),
        decide.out());
    JsonNode j = Json.MAPPER.readTree(decide.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals(2, j.get("per_rule_set").size(), j.toString());
    assertTrue(j.get("control_group").asLong() > 0, "config/application.properties holds out 10% per action");

    Run compare = run("rules", "compare", "--json");
    assertEquals(0, compare.exit(), compare.out());
    JsonNode c = Json.MAPPER.readTree(compare.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals(500, c.get("decisions").asLong());
    assertEquals(500, c.get("rule_sets").get(0).get("customers").asLong() + c.get("rule_sets").get(1).get("customers").asLong());
    assertEquals("challenger", c.get("rule_sets").get(1).get("role").asText());
    Run text = run("rules", "compare", "--run", String.valueOf(c.get("run_id").asLong()));
    assertTrue(text.out().contains("Rule sets of decision run") && text.out().contains("tier mix")
        && text.out().contains("needs outcomes of both rule sets"), text.out());
    assertEquals(1, run("rules", "compare", "--run", "9999").exit());

    Files.writeString(home.resolve("config/application.properties"), "\nvaluetier.decide.challenger.dir=refused\n",
        StandardOpenOption.APPEND);
    Run refused = run("decide", "--json");
    assertEquals(0, refused.exit(), "the champion decides everyone: " + refused.out());
    assertTrue(refused.out().contains("CHALLENGER REFUSED: 1 of ") && refused.out().contains("test case(s) failed"),
        refused.out());
    JsonNode r = Json.MAPPER.readTree(refused.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals(1, r.get("per_rule_set").size(), r.toString());
    assertTrue(r.get("per_rule_set").fieldNames().next().startsWith("champion "), r.toString());
  }

  @Test
  void testRulesJsonReportsCasesFailuresAndUncoveredRules() throws Exception {
    Run r = run("test-rules", "--json");
    assertEquals(0, r.exit(), r.out());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertTrue(j.get("cases").asInt() >= 19);
    assertEquals(0, j.get("failed").asInt());
    assertEquals(0, j.get("uncovered_rules").size());
  }

  @Test
  void testRulesExitsNonZeroAndShowsExpectedAgainstActualWhenACaseFails() throws Exception {
    Path csv = home.resolve("dmn/tests/customer-tiering.csv");
    String table = Files.readString(csv);
    String changed = table.replace("Below median: no contact,50,20,0.5,no,300,yes,no,0.1,0,Retail,no,0,,,Bronze",
        "Below median: no contact,50,20,0.5,no,300,yes,no,0.1,0,Retail,no,0,,,Silver");
    assertNotEquals(table, changed, "the case to break is in the shipped test table");
    Files.writeString(csv, changed);
    Run r = run("test-rules");
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().matches("(?s).*FAILED .*Below median: no contact.*value tier\\s+expected Silver\\s+actual Bronze.*"),
        r.out());
  }

  @Test
  void validateRulesExitsNonZeroWithTheMessagesOfABrokenFile() throws Exception {
    Path dmn = home.resolve("dmn/customer-tiering.dmn");
    Files.writeString(dmn, Files.readString(dmn).replace("<text>[50..80)</text>", "<text>[50..80</text>"));
    Run r = run("validate-rules");
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("error: dmn/customer-tiering.dmn: decision 'Value Tier', rule 6, column 'Value Percentile'"),
        r.out());
    Run reload = run("rules", "reload");
    assertEquals(1, reload.exit(), reload.out());
    assertTrue(reload.out().contains("refused"), reload.out());
  }

  @Test
  void validateRulesAndReloadRefuseACellNamingAnUnknownVariable() throws Exception {
    Path dmn = home.resolve("dmn/customer-tiering.dmn");
    String from = "<inputEntry id=\"vt-r3-c2\"><text>&gt;= 90</text>";
    assertTrue(Files.readString(dmn).contains(from));
    String to = "<inputEntry id=\"vt-r3-c2\"><text>&gt;= ninety</text>";
    Files.writeString(dmn, Files.readString(dmn).replace(from, to));
    Run r = run("validate-rules");
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("error: dmn/customer-tiering.dmn: decision 'Value Tier', rule 3, column 'Tenure Days':"
        + " FEEL expression '>= ninety': Unknown variable 'ninety'"), r.out());
    Run reload = run("rules", "reload");
    assertEquals(1, reload.exit(), reload.out());
    assertTrue(reload.out().contains("refused") && reload.out().contains("Unknown variable 'ninety'"), reload.out());
  }
}
