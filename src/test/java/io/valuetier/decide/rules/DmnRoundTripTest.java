package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.testing.SamplePopulation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped model survives what the Apache KIE DMN editor does when it saves: each {@code dmn/*.dmn} is parsed
 * and written as the latest DMN version by {@code @kie-tools/dmn-marshaller} 10.2.0 (the editor's own marshaller, run
 * by node from the bundle that the build makes in target/web), and the result passes the gate and the analysts' test
 * tables and decides the bundled sample's population exactly as the original does.
 */
class DmnRoundTripTest {
  private static final String DMN16 = "xmlns=\"https://www.omg.org/spec/DMN/20240513/MODEL/\"";
  private static final Map<String, String> saved = new TreeMap<>();

  @BeforeAll
  static void saveEveryModelThroughTheEditorsMarshaller(@TempDir Path dir) throws Exception {
    Path home = TestRuleSets.home().toAbsolutePath();
    Path bundle = home.resolve("target/web/dmn-roundtrip.cjs");
    assertTrue(Files.isRegularFile(bundle), bundle + " is missing: the build makes it (mvn generate-resources runs"
        + " web/build.mjs with the system node)");
    Map<String, String> models = TestRuleSets.shipped().files().in(RuleFiles.DMN_DIR, ".dmn");
    assertFalse(models.isEmpty());
    for (var e : models.entrySet()) {
      Path in = dir.resolve(Path.of(e.getKey()).getFileName());
      Path out = dir.resolve("saved-" + in.getFileName());
      Files.writeString(in, e.getValue(), StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder("node", bundle.toString(), in.toString(), out.toString())
          .redirectErrorStream(true);
      pb.environment().put("NODE_PATH", home.resolve("web/node_modules").toString());
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the marshaller did not finish in 2 minutes");
      assertEquals(0, p.exitValue(), () -> e.getKey() + ": the marshaller failed: " + log);
      System.out.print(log);
      saved.put(e.getKey(), Files.readString(out, StandardCharsets.UTF_8));
    }
  }

  private static RuleSetCompiler.Result compileSaved() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.putAll(saved);
    return RuleSetCompiler.compile(RuleFiles.of(files));
  }

  @Test
  void everyModelSavedAsTheLatestDmnVersionPassesTheGate() {
    saved.forEach((file, xml) -> assertTrue(xml.contains(DMN16), file + " was not written as DMN 1.6"));
    RuleSetCompiler.Result r = compileSaved();
    assertTrue(r.ok(), () -> "errors: " + r.errors());
  }

  @Test
  void theAnalystTestTablesPassOnTheSavedModels() {
    RuleSetCompiler.Result r = compileSaved();
    assertTrue(r.ok(), () -> "errors: " + r.errors());
    RuleTests.Report report = RuleTests.run(r.ruleSet(), TestRuleSets.params());
    assertTrue(report.cases() >= 19, "the test tables lost their cases");
    assertTrue(report.passed(), () -> "failures: " + report.failures() + " problems: " + report.problems());
    assertEquals(List.of(), report.uncoveredRules());
  }

  @Test
  void theSavedModelsDecideTheBundledPopulationExactlyAsTheOriginals() throws Exception {
    List<DecisionInput> population = SamplePopulation.read();
    RuleSetCompiler.Result r = compileSaved();
    assertTrue(r.ok(), () -> "errors: " + r.errors());
    List<String> original = outcomes(TestRuleSets.shipped(), population);
    List<String> afterSave = outcomes(r.ruleSet(), population);
    assertEquals(4_372, original.size(), "the bundled sample has 4,372 customers");
    // the population is the one `./valuetier run` decides: its tiers are the sample baseline
    Map<String, Long> tiers = new TreeMap<>(original.stream()
        .collect(Collectors.groupingBy(s -> s.split("\\|")[1], Collectors.counting())));
    assertEquals(Map.of("Platinum", 202L, "Gold", 572L, "Silver", 973L, "Bronze", 745L, "New", 1_880L), tiers);
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < original.size(); i++) {
      if (!original.get(i).equals(afterSave.get(i))) {
        differ.add(original.get(i) + "  ->  " + afterSave.get(i));
      }
    }
    assertEquals(List.of(), differ.stream().limit(5).toList(), differ.size() + " customers decided differently");
    assertEquals(original, afterSave);
  }

  /** Everything a decision says (tier, action, offer, service level, matched rows, reasons, guardrails), per customer. */
  private static List<String> outcomes(RuleSet rules, List<DecisionInput> population) {
    List<String> failed = new ArrayList<>();
    List<Decision> decisions = new DecisionEngine(rules, TestRuleSets.params())
        .decideAll(population, Instant.EPOCH, e -> failed.add(e.getMessage()));
    assertEquals(List.of(), failed, "customers the DMN could not decide");
    return decisions.stream()
        .map(d -> String.join("|", d.customerId(), d.valueTier(), d.actionCode(), String.valueOf(d.channel()),
            String.valueOf(d.offer()), String.valueOf(d.priority()), String.valueOf(d.offerCost()), d.serviceLevel(),
            d.proposedAction(), d.matchedRows(), String.join(";", d.rowReasons()), d.guardrailCodes(),
            String.valueOf(d.firedRules()), String.valueOf(d.controlGroup())))
        .toList();
  }
}
