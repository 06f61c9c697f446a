package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Broken rule files are refused by the validation gate with messages that name the element and say what to fix. */
class ValidationGateTest {
  private static final String DMN = "dmn/customer-tiering.dmn";

  private static RuleSetCompiler.Result compileWith(String from, String to) {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    String dmn = files.get(DMN);
    assertTrue(dmn.contains(from), "the shipped model no longer contains " + from);
    files.put(DMN, dmn.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    return RuleSetCompiler.compile(RuleFiles.of(files));
  }

  private static void assertRefusedWith(RuleSetCompiler.Result r, Predicate<ValidationMessage> expected, String what) {
    System.out.println(what + ":");
    r.messages().forEach(m -> System.out.println("  " + m));
    assertFalse(r.ok(), what + " must be refused");
    List<ValidationMessage> errors = r.errors();
    assertTrue(errors.stream().anyMatch(expected), () -> what + ": no error names the element; errors: " + errors);
  }

  @Test
  void theShippedRuleSetPassesTheGateWithoutErrors() {
    RuleSetCompiler.Result r = RuleSetCompiler.compile(TestRuleSets.shipped().files());
    assertTrue(r.ok(), () -> "errors: " + r.errors());
  }

  @Test
  void anXmlSyntaxErrorIsRefusedWithItsLineAndColumn() {
    RuleSetCompiler.Result r = compileWith("<outputEntry id=\"vt-r3-o1\"><text>\"At Risk\"</text></outputEntry>",
        "<outputEntry id=\"vt-r3-o1\"><text>\"At Risk\"</text></outputEntr>");
    assertRefusedWith(r, m -> m.file().equals(DMN) && m.text().matches("line \\d+, column \\d+: .*not well formed.*"),
        "XML syntax error");
  }

  @Test
  void aFeelErrorInACellIsRefusedNamingDecisionRowAndColumn() {
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>",
        "<inputEntry id=\"vt-r5-c4\"><text>[80..95</text>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision()) && m.row() == 5
        && "Value Percentile".equals(m.column()), "FEEL error");
  }

  @Test
  void aBrokenCellGivesNoLibraryMessageAboutTheSkippedAnalysis() {
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>",
        "<inputEntry id=\"vt-r5-c4\"><text>&gt;= = 9(</text>");
    assertFalse(r.messages().stream().anyMatch(m -> m.text().contains("Cannot invoke") || m.text().contains(" is null")
        || m.text().contains("org.kie")), r.messages()::toString);
    assertFalse(r.ok());
    assertTrue(r.messages().stream().anyMatch(m -> "Value Tier".equals(m.decision())
        && m.text().startsWith("gaps and overlaps of this table were not checked")), r.messages()::toString);
  }

  /** Whether {@code m} names the cell: file, decision, rule row, column, the cell's text and the engine's words. */
  private static Predicate<ValidationMessage> namesCell(int row, String column, String cell, String name) {
    return m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision()) && m.row() == row
        && column.equals(m.column()) && m.text().contains("'" + cell + "'")
        && m.text().contains("Unknown variable '" + name + "'");
  }

  @Test
  void anUnknownNameInAComparisonOfAnInputEntryIsRefusedNamingFileDecisionRowAndColumn() {
    // The engine compiles the endpoint of a comparison without resolving names: before the name check this passed
    // the gate, and every evaluation of the table failed with "Unknown variable name 'ninety'".
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r3-c2\"><text>&gt;= 90</text>",
        "<inputEntry id=\"vt-r3-c2\"><text>&gt;= ninety</text>");
    assertRefusedWith(r, namesCell(3, "Tenure Days", ">= ninety", "ninety"), "unknown name in an input entry");
    assertTrue(r.errors().stream().anyMatch(m -> m.text().contains("Customer, Prediction")), r.errors()::toString);
  }

  @Test
  void anUnknownNameInANegatedOrListedComparisonIsRefused() {
    RuleSetCompiler.Result negated = compileWith("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>",
        "<inputEntry id=\"vt-r5-c4\"><text>not(&lt; eighty)</text>");
    assertRefusedWith(negated, namesCell(5, "Value Percentile", "not(< eighty)", "eighty"), "negated comparison");
    RuleSetCompiler.Result listed = compileWith("<inputEntry id=\"vt-r3-c2\"><text>&gt;= 90</text>",
        "<inputEntry id=\"vt-r3-c2\"><text>&lt; 10, &gt;= ninety days</text>");
    assertRefusedWith(listed, namesCell(3, "Tenure Days", "< 10, >= ninety days", "ninety days"), "listed comparison");
  }

  @Test
  void anUnknownNameInTheInputValuesOfAColumnIsRefusedNamingTheColumn() {
    RuleSetCompiler.Result r = compileWith("<inputValues id=\"vt-in-percentile-values\"><text>[0..100]</text>",
        "<inputValues id=\"vt-in-percentile-values\"><text>&gt;= zero</text>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision()) && m.row() == 0
        && "Value Percentile".equals(m.column()) && m.text().contains("input values")
        && m.text().contains("'>= zero'") && m.text().contains("Unknown variable 'zero'"),
        "unknown name in input values");
  }

  @Test
  void anUnknownNameInAnOutputEntryIsRefusedNamingFileDecisionRowAndColumn() {
    RuleSetCompiler.Result r = compileWith("<outputEntry id=\"vt-r4-o1\"><text>\"Platinum\"</text>",
        "<outputEntry id=\"vt-r4-o1\"><text>ninety</text>");
    assertRefusedWith(r, namesCell(4, "Value Tier", "ninety", "ninety"), "unknown name in an output entry");
  }

  @Test
  void anUnknownNameInAnInputExpressionIsRefusedNamingTheColumn() {
    RuleSetCompiler.Result r = compileWith("<text>Customer.Tenure Days</text>", "<text>Custmer.Tenure Days</text>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision())
        && "Tenure Days".equals(m.column()) && m.text().contains("'Custmer.Tenure Days'")
        && m.text().contains("Unknown variable 'Custmer'"),
        "unknown name in an input expression");
  }

  @Test
  void knownNamesAndFunctionsInComparisonsPass() {
    // a multi-word field of an input, a required decision's input and a built-in function, all in comparisons
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r3-c2\"><text>&gt;= 90</text>",
        "<inputEntry id=\"vt-r3-c2\"><text>&gt;= abs(Customer.Open Complaints * 0) + 90, "
            + "&lt; Prediction.Value Percentile * 0 - 1</text>");
    assertTrue(r.ok(), () -> "errors: " + r.errors());
    assertFalse(r.messages().stream().anyMatch(m -> m.text().contains("Unknown variable")), r.messages()::toString);
    assertEquals(List.of("? >= 90", "? < x"), DmnNameCheck.comparisons(">= 90, - , [1..2], < x"));
    assertEquals(List.of("? != \"a,b\""), DmnNameCheck.comparisons("not(!= \"a,b\", \"c\")"));
  }

  @Test
  void aTypeErrorIsRefusedNamingTheDecision() {
    RuleSetCompiler.Result r = compileWith("<variable id=\"service-level-var\" name=\"Service Level\" typeRef=\"tServiceLevel\"/>",
        "<variable id=\"service-level-var\" name=\"Service Level\" typeRef=\"tServiceLvl\"/>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Service Level".equals(m.decision())
        && m.text().contains("tServiceLvl"), "unknown type");
  }

  @Test
  void anOutputOutsideItsTypesAllowedValuesIsRefusedNamingTheRow() {
    RuleSetCompiler.Result r = compileWith("<outputEntry id=\"vt-r4-o1\"><text>\"Platinum\"</text>",
        "<outputEntry id=\"vt-r4-o1\"><text>\"Diamond\"</text>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision())
        && (m.row() == 4 || m.text().contains("4")) && m.text().contains("Diamond"), "output type error");
  }

  @Test
  void overlappingRowsUnderUniqueAreRefusedNamingRowsColumnAndRange() {
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>",
        "<inputEntry id=\"vt-r5-c4\"><text>[80..96)</text>");
    assertRefusedWith(r, m -> DMN.equals(m.file()) && "Value Tier".equals(m.decision())
        && m.text().contains("rules 4 and 5 overlap") && m.text().contains("Value Percentile")
        && m.text().contains("UNIQUE"), "overlap under UNIQUE");
  }

  @Test
  void aGapInATableIsReportedWithTheUncoveredValues() {
    RuleSetCompiler.Result r = compileWith("<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>",
        "<inputEntry id=\"vt-r5-c4\"><text>[85..95)</text>");
    r.messages().forEach(m -> System.out.println("gap: " + m));
    assertTrue(r.messages().stream().anyMatch(m -> "Value Tier".equals(m.decision()) && m.text().startsWith("no rule covers")
        && m.text().contains("Value Percentile")), () -> "no gap message: " + r.messages());
  }

  @Test
  void aDrlSyntaxErrorIsRefusedWithFileAndLine() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put("rules/guardrails.drl", files.get("rules/guardrails.drl").replace("$a : ProposedAction( channel != null, fraudFlag == true )",
        "$a : ProposedAction( channel != null, fraudFlag == )"));
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.of(files));
    assertRefusedWith(r, m -> "rules/guardrails.drl".equals(m.file()) && m.text().matches("line \\d+.*"), "DRL error");
  }

  @Test
  void aRenamedDecisionIsRefusedBecauseTheEngineReadsItByName() {
    RuleSetCompiler.Result r = compileWith("<decision id=\"service-level\" name=\"Service Level\">",
        "<decision id=\"service-level\" name=\"Service Tier\">");
    assertRefusedWith(r, m -> m.text().contains("'Service Level'"), "renamed decision");
  }

  @Test
  void aRowWithoutAReasonIsRefused() {
    RuleSetCompiler.Result r = compileWith(
        "<annotationEntry><text>Below the median predicted value.</text></annotationEntry>",
        "<annotationEntry><text></text></annotationEntry>");
    assertRefusedWith(r, m -> "Value Tier".equals(m.decision()) && m.row() == 7 && m.text().contains("no reason"),
        "row without a reason");
  }

  @Test
  void oneFileCanBeValidatedOnItsOwn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path drl = dir.resolve("guardrails.drl");
    java.nio.file.Files.writeString(drl, TestRuleSets.shipped().files().all().get("rules/guardrails.drl"));
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.read(drl));
    assertTrue(r.errors().isEmpty(), () -> "errors: " + r.errors());
  }
}
