package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetCompiler;
import java.math.BigDecimal;
import java.nio.file.Path;

/** The project's real rule files, compiled once per test JVM (compiling DRL takes seconds). */
public final class TestRuleSets {
  private static RuleSet shipped;

  private TestRuleSets() {}

  /** The installation folder: dmn/ and rules/ of the project. */
  public static Path home() {
    return Path.of(System.getProperty("valuetier.home", "."));
  }

  /** The shipped rule set, validated and compiled. */
  public static synchronized RuleSet shipped() {
    if (shipped == null) {
      RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.read(home()));
      assertTrue(r.ok(), () -> "the shipped rule set does not compile: " + r.messages());
      shipped = r.ruleSet();
    }
    return shipped;
  }

  /** Guardrail parameters of the tests: 3 contacts in 30 days, unlimited budget. */
  public static GuardrailParameters params() {
    return new GuardrailParameters(3, 30, null);
  }

  /** Parameters with an offer budget. */
  public static GuardrailParameters params(BigDecimal budget) {
    return new GuardrailParameters(3, 30, budget);
  }
}
