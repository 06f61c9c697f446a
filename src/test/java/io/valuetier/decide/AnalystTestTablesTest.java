package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleTests;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The analysts' test tables in dmn/tests run as part of the build: one JUnit test per business case (one per DMN rule
 * row and guardrail), on the real DMN engine and Drools.
 */
class AnalystTestTablesTest {

  @TestFactory
  Stream<DynamicTest> everyBusinessCaseInTheTestTablesDecidesAsExpected() {
    RuleSet rs = TestRuleSets.shipped();
    List<String> problems = new ArrayList<>();
    List<RuleTests.Case> cases = RuleTests.cases(rs.files(), problems);
    assertTrue(problems.isEmpty(), () -> "unreadable test tables: " + problems);
    assertTrue(cases.size() >= 19, "expected at least one case per rule row and guardrail");
    return cases.stream()
        .map(
            k ->
                DynamicTest.dynamicTest(
                    k.file() + ":" + k.line() + " " + k.name(),
                    () -> {
                      Decision d = RuleTests.decide(rs, TestRuleSets.params(), k);
                      assertEquals(List.of(), RuleTests.check(k, d), () -> "decision: " + d);
                    }));
  }

  @Test
  void theTestTablesReachEveryRuleRowAndEveryGuardrail() {
    RuleTests.Report report = RuleTests.run(TestRuleSets.shipped(), TestRuleSets.params());
    assertTrue(report.passed(), () -> "failures: " + report.failures() + " problems: " + report.problems());
    assertEquals(List.of(), report.uncoveredRules());
  }
}
