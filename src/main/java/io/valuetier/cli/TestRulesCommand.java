package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSetCompiler;
import io.valuetier.decide.rules.RuleTests;
import io.valuetier.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier test-rules [PATH]}: runs the analysts' test tables. */
@Command(
    name = "test-rules", header = "Runs the business test cases of dmn/tests/ against the rules.",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the test tables in dmn/tests/*.csv (one business case per row) through the DMN tables and guardrails.",
      "Shows expected against actual for each failed case and the rule rows no case reaches. Exits 1 on a failure."
    })
public final class TestRulesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "A folder with dmn/ and rules/ (default: the"
      + " installation's rule set).")
  Path path;

  @Option(names = "--json", description = "Print one JSON object: cases, failed, failures, uncovered_rules.")
  boolean json;

  @Override
  public Integer call() {
    Settings s = common.settings();
    Path where = path != null ? path : DecideSettings.ruleSetDir(s);
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.read(where));
    if (!r.ok()) {
      // one line: the first error, and where to see them all
      var errors = r.errors();
      System.err.println("error: the rule set under " + where + " is not valid, so its tests cannot run: "
          + (errors.isEmpty() ? "" : errors.getFirst().toString().strip().replaceFirst("^error: ", "").replaceAll("\\s*\\R\\s*", "; "))
          + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more: valuetier validate-rules)" : ""));
      return 1;
    }
    RuleTests.Report report = RuleTests.run(r.ruleSet(), GuardrailParameters.from(s));
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", r.ruleSet().version());
      o.put("cases", report.cases());
      o.put("failed", report.failed());
      o.put("failures", report.failures());
      o.put("problems", report.problems());
      o.put("uncovered_rules", report.uncoveredRules());
      System.out.println(Json.write(o));
    } else {
      System.out.println("Ran " + report.cases() + " test case(s) of rule set " + r.ruleSet().version() + ": "
          + (report.cases() - report.failed()) + " passed, " + report.failed() + " failed");
      printFailures(report, System.out);
      if (report.uncoveredRules().isEmpty()) {
        System.out.println("coverage: every rule row and guardrail is reached by a case");
      } else {
        System.out.println("coverage: " + report.uncoveredRules().size() + " rule(s) never hit by a case:");
        report.uncoveredRules().forEach(u -> System.out.println("  " + u));
      }
    }
    return report.passed() ? 0 : 1;
  }

  static void printFailures(RuleTests.Report report, PrintStream out) {
    for (String p : report.problems()) {
      out.println("problem: " + p);
    }
    for (RuleTests.Failure f : report.failures()) {
      out.println("FAILED " + f.file() + ":" + f.line() + " " + f.name());
      if (f.error() != null) {
        out.println("    error: " + f.error());
      }
      for (RuleTests.Mismatch m : f.mismatches()) {
        out.printf("    %-14s expected %-28s actual %s%n", m.column(), m.expected(), m.actual());
      }
    }
  }
}
