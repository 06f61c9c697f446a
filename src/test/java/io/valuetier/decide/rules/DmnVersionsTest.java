package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The gate reads a model as the Apache KIE DMN editor saves it today (DMN 1.6) as well as the shipped DMN 1.5 model,
 * and refuses a version the engine cannot read with the versions it reads and what to do.
 */
class DmnVersionsTest {
  private static final String DMN = "dmn/customer-tiering.dmn";
  /** The shipped model written by @kie-tools/dmn-marshaller 10.2.0 as DMN 1.6, the way the editor saves it. */
  private static final String DMN16_COPY = "src/test/resources/dmn-versions/customer-tiering-dmn16.dmn";

  private static RuleSetCompiler.Result compileWithModel(String dmn) {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put(DMN, dmn);
    return RuleSetCompiler.compile(RuleFiles.of(files));
  }

  private static RuleTests.Report analystTests(RuleSetCompiler.Result r) {
    return RuleTests.run(r.ruleSet(), TestRuleSets.params());
  }

  @Test
  void theShippedModelIsDmn15AndPassesTheGate() {
    String shipped = TestRuleSets.shipped().files().all().get(DMN);
    assertTrue(shipped.contains("xmlns=\"https://www.omg.org/spec/DMN/20230324/MODEL/\""), "the shipped model is DMN 1.5");
    RuleSetCompiler.Result r = compileWithModel(shipped);
    assertTrue(r.ok(), () -> "errors: " + r.errors());
  }

  @Test
  void aDmn16ModelAsTheCurrentEditorSavesItPassesTheGateAndTheAnalystTests() throws Exception {
    String dmn16 = Files.readString(TestRuleSets.home().resolve(DMN16_COPY));
    assertTrue(dmn16.contains("xmlns=\"https://www.omg.org/spec/DMN/20240513/MODEL/\""), "the copy is DMN 1.6");
    RuleSetCompiler.Result r = compileWithModel(dmn16);
    assertTrue(r.ok(), () -> "errors: " + r.errors());
    RuleTests.Report report = analystTests(r);
    assertTrue(report.passed(), () -> "failures: " + report.failures() + " problems: " + report.problems());
    assertEquals(List.of(), report.uncoveredRules());
  }

  @Test
  void aModelInANamespaceTheEngineCannotReadIsRefusedWithTheVersionsItReadsAndWhatToDo() {
    String shipped = TestRuleSets.shipped().files().all().get(DMN);
    String future = shipped.replace("xmlns=\"https://www.omg.org/spec/DMN/20230324/MODEL/\"",
        "xmlns=\"https://www.omg.org/spec/DMN/20991231/MODEL/\"");
    RuleSetCompiler.Result r = compileWithModel(future);
    r.messages().forEach(m -> System.out.println("unreadable version: " + m));
    assertFalse(r.ok());
    ValidationMessage first = r.errors().getFirst();
    assertEquals(DMN, first.file());
    assertTrue(first.text().contains("https://www.omg.org/spec/DMN/20991231/MODEL/"), first::text);
    assertTrue(first.text().contains("1.1, 1.2, 1.3, 1.4, 1.5 and 1.6"), first::text);
    assertTrue(first.text().contains("open the file in the Apache KIE DMN editor"), first::text);
    assertFalse(r.messages().stream().anyMatch(m -> m.text().contains("ClassNotFoundException")),
        () -> "a library message reached the analyst: " + r.messages());
  }
}
