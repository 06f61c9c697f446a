package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.guardrails.Guardrails;
import io.valuetier.decide.guardrails.ProposedAction;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DRL that would run code beyond the guardrail facts is refused by the gate, names file, rule, line and call, and
 * never runs: each attack tries to write a probe file, which must not exist after the gate and its test tables.
 */
class DrlCodeGateTest {
  private static final String DRL = "rules/guardrails.drl";

  @TempDir Path dir;

  private Path probe() {
    return dir.resolve("probe.txt");
  }

  /** The probe's path as a DRL string literal. */
  private String probeLiteral() {
    return "\"" + probe().toString().replace("\\", "\\\\") + "\"";
  }

  /** The shipped rule files with {@code extra} appended to the shipped DRL. */
  private static RuleFiles shippedPlus(String extra) {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put(DRL, files.get(DRL) + "\n" + extra);
    return RuleFiles.of(files);
  }

  /** The 1-based line of the DRL (shipped plus {@code extra}) on which {@code marker} first appears in extra. */
  private static int lineOf(String extra, String marker) {
    String shipped = TestRuleSets.shipped().files().all().get(DRL) + "\n";
    String all = shipped + extra;
    int at = shipped.length() + extra.indexOf(marker);
    assertTrue(extra.contains(marker), "the test's DRL does not contain " + marker);
    return (int) all.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  private static String rule(String name, String consequence) {
    return "rule \"" + name + "\"\n  ruleflow-group \"customer\"\nwhen\n  $a : ProposedAction( channel != null )\nthen\n"
        + consequence + "\nend\n";
  }

  /**
   * Puts the files through everything a simulation, reload or rollback does (gate, compilation, the analysts' test
   * tables that run the guardrails) and asserts the refusal names the file, the line and {@code call}.
   */
  private RuleSetRegistry.Candidate assertRefused(RuleFiles files, int line, String rule, String call) {
    RuleSetRegistry.Candidate c = RuleSetRegistry.check(files, TestRuleSets.params());
    c.messages().forEach(m -> System.out.println("  " + m));
    assertFalse(c.passed(), "the rule set must be refused");
    assertEquals(null, c.ruleSet(), "a refused rule set is not compiled");
    assertNames(c, line, rule, call);
    return c;
  }

  private void assertNames(RuleSetRegistry.Candidate c, int line, String rule, String call) {
    String where = "line " + line + (rule == null ? "" : ", rule \"" + rule + "\"");
    assertTrue(c.messages().stream().anyMatch(m -> m.isError() && DRL.equals(m.file()) && m.text().startsWith(where)
        && m.text().contains(call)), () -> "no error says " + where + " ... " + call + ": " + c.messages());
    assertFalse(Files.exists(probe()), "the refused rule ran: it wrote " + probe());
  }

  private static void assertPasses(RuleFiles files) {
    RuleSetCompiler.Result r = RuleSetCompiler.compile(files);
    assertTrue(r.ok(), () -> "errors: " + r.errors());
  }

  @Test
  void withoutTheGateTheProbeRuleWouldWriteItsFile() {
    // The control for every test below: the same rule compiled by Drools alone does write the probe.
    String drl = "package rules;\nimport io.valuetier.decide.guardrails.ProposedAction;\n"
        + "import io.valuetier.decide.guardrails.GuardrailParameters;\nglobal GuardrailParameters params;\n"
        + rule("Probe", "  java.nio.file.Files.writeString(java.nio.file.Path.of(" + probeLiteral() + "), \"ran\");");
    Guardrails.Compiled compiled = Guardrails.compile(Map.of("rules/probe.drl", drl), "probe-control");
    assertTrue(compiled.guardrails() != null, () -> "the control rule does not compile: " + compiled.messages());
    List<ProposedAction> actions = new ArrayList<>(List.of(new ProposedAction(0, "C1", "WINBACK", "EMAIL", null, 1,
        BigDecimal.ZERO, BigDecimal.TEN, true, 0, false, 0)));
    compiled.guardrails().apply(actions, Guardrails.CUSTOMER_STAGE, TestRuleSets.params());
    assertTrue(Files.exists(probe()), "the probe mechanism does not work, so the tests below would prove nothing");
  }

  @Test
  void theShippedRulesPassTheCodeCheck() {
    List<ValidationMessage> out = new ArrayList<>();
    assertTrue(DrlCodeCheck.check(DRL, TestRuleSets.shipped().files().all().get(DRL), out), () -> "findings: " + out);
    assertEquals(List.of(), out);
  }

  @Test
  void systemExitIsRefusedWithFileRuleLineAndCall() {
    String extra = rule("Exit", "  System.exit(3);");
    RuleSetRegistry.Candidate c = assertRefused(shippedPlus(extra), lineOf(extra, "System.exit"), "Exit",
        "calls java.lang.System.exit, which rules may not call");
    assertTrue(c.messages().stream().anyMatch(m -> m.text().contains("ProposedAction") && m.text().contains("params")),
        "the message says what a rule may use");
  }

  @Test
  void runtimeExecIsRefused() {
    String extra = rule("Exec", "  Runtime.getRuntime().exec(new String[] {\"touch\", " + probeLiteral() + "});");
    assertRefused(shippedPlus(extra), lineOf(extra, "Runtime"), "Exec", "java.lang.Runtime.getRuntime");
  }

  @Test
  void newProcessBuilderIsRefused() {
    String extra = rule("Process", "  new ProcessBuilder(\"touch\", " + probeLiteral() + ").start();");
    assertRefused(shippedPlus(extra), lineOf(extra, "new ProcessBuilder"), "Process",
        "creates a java.lang.ProcessBuilder with new");
  }

  @Test
  void filesWriteStringIsRefused() {
    String extra = rule("Write", "  java.nio.file.Files.writeString(java.nio.file.Path.of(" + probeLiteral()
        + "), \"ran\");");
    assertRefused(shippedPlus(extra), lineOf(extra, "java.nio"), "Write", "calls java.nio.file.Files.writeString");
  }

  @Test
  void aFullyQualifiedJavaIoFileIsRefused() {
    String extra = rule("File", "  new java.io.File(" + probeLiteral() + ").createNewFile();");
    assertRefused(shippedPlus(extra), lineOf(extra, "new java.io.File"), "File", "creates a java.io.File with new");
  }

  @Test
  void classForNameIsRefused() {
    String extra = rule("Reflect", "  Class.forName(\"java.lang.Runtime\");");
    assertRefused(shippedPlus(extra), lineOf(extra, "Class.forName"), "Reflect", "calls java.lang.Class.forName");
  }

  @Test
  void getClassAndItsClassLoaderAreRefused() {
    String extra = rule("Loader", "  $a.getClass().getClassLoader();");
    assertRefused(shippedPlus(extra), lineOf(extra, "$a.getClass"), "Loader", "calls $a.getClass");
  }

  @Test
  void anImportOfJavaIoIsRefused() {
    String extra = "import java.io.*;\n" + rule("Import", "  new File(" + probeLiteral() + ").createNewFile();");
    assertRefused(shippedPlus(extra), lineOf(extra, "import java.io"), null, "imports java.io.*");
  }

  @Test
  void aFunctionThatWritesAFileIsRefused() {
    String extra = "function void probe(String p) {\n  java.nio.file.Files.writeString(java.nio.file.Path.of(p), \"ran\");\n}\n"
        + rule("Calls a function", "  probe(" + probeLiteral() + ");");
    RuleSetRegistry.Candidate c = assertRefused(shippedPlus(extra), lineOf(extra, "function void"), null,
        "declares the function probe");
    assertNames(c, lineOf(extra, "probe(\""), "Calls a function", "calls probe");
  }

  @Test
  void aCallHiddenBetweenCommentsAndNewlinesIsRefused() {
    String extra = rule("Hidden", "  /* only a note */ System /* still a note */ .\n    exit\n\n    (3); // and a note");
    assertRefused(shippedPlus(extra), lineOf(extra, "System /*"), "Hidden", "calls java.lang.System.exit");
  }

  @Test
  void aCallWrittenWithUnicodeEscapesIsRefused() {
    // In Java source, the unicode escape \u0053 is an S anywhere: this is a call of System.exit.
    String extra = rule("Escaped", "  \\u0053ystem.exit(3);");
    RuleSetRegistry.Candidate c = assertRefused(shippedPlus(extra), lineOf(extra, "\\u0053"), "Escaped",
        "calls java.lang.System.exit");
    assertTrue(c.messages().stream().anyMatch(m -> m.text().contains("unicode escape \\u0053")), "names the escape");
  }

  @Test
  void aUnicodeNewlineThatEndsACommentIsRefused() {
    // The escaped newline ends the line comment for the Java compiler: the call after it is code.
    String extra = rule("Comment", "  // a harmless note\\u000a System.exit(3);");
    assertRefused(shippedPlus(extra), lineOf(extra, "System.exit"), "Comment", "calls java.lang.System.exit");
  }

  @Test
  void aStringThatUnicodeEscapesItsOwnQuotesIsRefused() {
    // \u0022 closes the string for the Java compiler, so the call between the quotes is code.
    String extra = rule("Quotes", "  $a.stopContact(\"NO_CONTACT\", \"X\", \"\\u0022 + System.exit(3) + \\u0022\");");
    assertRefused(shippedPlus(extra), lineOf(extra, "$a.stopContact"), "Quotes", "calls java.lang.System.exit");
  }

  @Test
  void anInvisibleCharacterInsideANameIsRefused() {
    // Java ignores a soft hyphen (U+00AD) inside an identifier: Sys<U+00AD>tem is System to the compiler.
    String extra = rule("Invisible", "  Sys\u00ADtem.exit(3);");
    assertRefused(shippedPlus(extra), lineOf(extra, "Sys"), "Invisible", "U+00AD");
  }

  @Test
  void aHashCommentThatWouldHideACallFromTheCheckIsRefused() {
    // Were # a line comment for DRL, the /* after it would open nothing while the check skipped the call; the check
    // refuses # wherever it stands (here Drools' parser refuses it too, so the file names no rule).
    String extra = "rule \"Hash\"\nwhen\n  # /*\n  $a : ProposedAction( channel != null )\nthen\n"
        + "  System.exit(3);\n  // */\nend\n";
    assertRefused(shippedPlus(extra), lineOf(extra, "# /*"), null, "has '#'");
  }

  @Test
  void theDroolsHandleIsRefused() {
    String extra = rule("Handle", "  drools.getKieRuntime().getGlobals();");
    assertRefused(shippedPlus(extra), lineOf(extra, "drools."), "Handle", "uses drools");
  }

  @Test
  void aConditionThatCallsCodeIsRefused() {
    String extra = "rule \"Condition\"\nwhen\n  $a : ProposedAction( channel != null )\n"
        + "  eval( System.getenv(\"HOME\") != null )\nthen\n  update($a);\nend\n";
    RuleSetRegistry.Candidate c = assertRefused(shippedPlus(extra), lineOf(extra, "eval("), "Condition", "uses eval");
    assertNames(c, lineOf(extra, "eval("), "Condition", "calls java.lang.System.getenv");
  }

  @Test
  void anotherDialectIsRefused() {
    String extra = "rule \"Mvel\"\n  dialect \"mvel\"\nwhen\n  $a : ProposedAction( channel != null )\nthen\n"
        + "  update($a);\nend\n";
    assertRefused(shippedPlus(extra), lineOf(extra, "dialect"), "Mvel", "sets dialect \"mvel\"");
  }

  @Test
  void insertingAnObjectThatIsNotAFactIsRefused() {
    String extra = rule("Insert", "  insert($a.getChannel());");
    assertRefused(shippedPlus(extra), lineOf(extra, "insert("), "Insert", "to insert(...), which takes only a guardrail fact");
  }

  @Test
  void aStringThatMentionsSystemExitInAReasonPasses() {
    String extra = rule("Mentions", "  $a.stopContact(\"NO_CONTACT\", \"TEST\", \"never call System.exit(0) // or"
        + " /* Runtime.getRuntime() */ in a rule\");\n  update($a);").replace("channel != null", "channel == \"FAX\"");
    assertPasses(shippedPlus(extra));
  }

  @Test
  void aNewGuardrailUsingOnlyTheFactsAndParametersPasses() {
    String extra = "rule \"No costly offer to a customer contacted at the limit\"\n  ruleflow-group \"budget\"\n"
        + "  salience 10\nwhen\n"
        + "  $a : ProposedAction( channel != null, offerCost > 0, recentContacts >= params.maxContacts - 1,\n"
        + "                       customerId != null && !customerId.isBlank() )\n"
        + "then\n  if ($a.getOfferCost().signum() > 0) {\n"
        + "    $a.dropOffer(\"NEAR_FATIGUE\", \"contacted \" + $a.getRecentContacts() + \" of \""
        + " + params.getMaxContacts() + \" times\");\n  }\n  update($a);\nend\n";
    assertPasses(shippedPlus(extra));
  }

  @Test
  void aRuleThatLoopsForeverFailsTheTestTablesInsteadOfHangingTheGate() {
    String extra = rule("Loops", "  update($a);");
    RuleSetRegistry.Candidate c = RuleSetRegistry.check(shippedPlus(extra), TestRuleSets.params());
    assertFalse(c.passed(), "a looping rule set must be refused");
    assertTrue(c.tests().failures().stream().anyMatch(f -> f.error() != null && f.error().contains("did not settle")
        && f.error().contains("\"Loops\"")), () -> "failures: " + c.tests().failures());
  }

  @Test
  void aRuleNameWithoutQuotesPasses() {
    String extra = "rule NoFaxContacts\n  ruleflow-group \"customer\"\nwhen\n  $a : ProposedAction( channel == \"FAX\" )\n"
        + "then\n  $a.stopContact(\"NO_CONTACT\", \"NO_FAX\", \"we do not send faxes\");\n  update($a);\nend\n";
    List<ValidationMessage> out = new ArrayList<>();
    assertTrue(DrlCodeCheck.check(DRL, TestRuleSets.shipped().files().all().get(DRL) + "\n" + extra, out),
        () -> "findings: " + out);
  }
}
