package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.io.Resource;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.kie.internal.io.ResourceFactory;

/**
 * A DMN model that would reach Java (a Java or PMML function, a FEEL external function, a FEEL path to a Java method)
 * is refused by the gate, naming the file and the element, and nothing of it runs: each attack would set a system
 * property, which must still be unset after the gate and its test tables.
 */
class DmnCodeGateTest {
  private static final String PROBE_DMN = "dmn/probe.dmn";
  private static final String PROBE = "valuetier.test.dmn-probe";
  private static final String SET_PROPERTY = "<context id=\"probe-ctx\">"
      + "<contextEntry id=\"probe-ce1\"><variable id=\"probe-v1\" name=\"class\"/>"
      + "<literalExpression id=\"probe-le1\"><text>\"java.lang.System\"</text></literalExpression></contextEntry>"
      + "<contextEntry id=\"probe-ce2\"><variable id=\"probe-v2\" name=\"method signature\"/>"
      + "<literalExpression id=\"probe-le2\"><text>\"setProperty(java.lang.String,java.lang.String)\"</text>"
      + "</literalExpression></contextEntry></context>";

  @AfterEach
  void clearProbe() {
    System.clearProperty(PROBE);
  }

  /** A model with one decision, Probe Result, whose logic is {@code expression}, and the given extra elements. */
  private static String model(String expression, String extra, boolean callsBkm) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20230324/MODEL/\" id=\"probe\" name=\"Probe\"\n"
        + "    namespace=\"https://valuetier.io/dmn/probe\">\n"
        + "  <decision id=\"probe-decision\" name=\"Probe Result\">\n"
        + "    <variable id=\"probe-decision-var\" name=\"Probe Result\"/>\n"
        + (callsBkm ? "    <knowledgeRequirement id=\"probe-kr\"><requiredKnowledge href=\"#probe-bkm\"/></knowledgeRequirement>\n" : "")
        + "    <literalExpression id=\"probe-call\"><text>" + expression + "</text></literalExpression>\n"
        + "  </decision>\n" + extra + "</definitions>\n";
  }

  /** A business knowledge model Set Property whose logic is a Java function: System.setProperty. */
  private static String javaBkm(String kind) {
    return model("Set Property(\"" + PROBE + "\", \"ran\")",
        "  <businessKnowledgeModel id=\"probe-bkm\" name=\"Set Property\">\n"
            + "    <variable id=\"probe-bkm-var\" name=\"Set Property\"/>\n"
            + "    <encapsulatedLogic id=\"probe-fn\" kind=\"" + kind + "\">\n"
            + "      <formalParameter id=\"probe-p1\" name=\"key\" typeRef=\"string\"/>\n"
            + "      <formalParameter id=\"probe-p2\" name=\"value\" typeRef=\"string\"/>\n"
            + "      " + SET_PROPERTY + "\n"
            + "    </encapsulatedLogic>\n"
            + "  </businessKnowledgeModel>\n", true);
  }

  /** The same call written in FEEL, in the decision itself. */
  private static String feelExternal() {
    return model("{ set: function(key, value) external { java: { class: \"java.lang.System\", method signature:"
        + " \"setProperty(java.lang.String,java.lang.String)\" } }, r: set(\"" + PROBE + "\", \"ran\") }.r", "", false);
  }

  /** Evaluates every decision of {@code xml} on the engine alone, without the gate. */
  private static void evaluateWithoutTheGate(String xml) {
    Resource r = ResourceFactory.newReaderResource(new StringReader(xml), "UTF-8");
    r.setSourcePath(PROBE_DMN);
    DMNRuntime runtime = DMNRuntimeBuilder.fromDefaults().buildConfiguration().fromResources(List.of(r))
        .getOrElseThrow(e -> new IllegalStateException(e));
    DMNModel m = runtime.getModels().get(0);
    runtime.evaluateAll(m, runtime.newContext());
  }

  /** The shipped rule set with {@code xml} beside the tiering model, through the whole gate and the test tables. */
  private static RuleSetRegistry.Candidate check(String xml) {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put(PROBE_DMN, xml);
    RuleSetRegistry.Candidate c = RuleSetRegistry.check(RuleFiles.of(files), TestRuleSets.params());
    c.messages().forEach(m -> System.out.println("  " + m));
    return c;
  }

  private static void assertRefused(RuleSetRegistry.Candidate c, Predicate<ValidationMessage> names, String what) {
    assertFalse(c.passed(), what + " must be refused");
    assertNull(c.ruleSet(), "a refused rule set is not compiled");
    assertTrue(c.messages().stream().anyMatch(m -> m.isError() && PROBE_DMN.equals(m.file()) && names.test(m)),
        () -> what + ": no error names the element: " + c.messages());
    assertNull(System.getProperty(PROBE), "the refused model ran: it set " + PROBE);
  }

  @Test
  void withoutTheGateTheEngineRunsAJavaFunctionOfAModel() {
    // The control for the tests below: the engine alone does call System.setProperty.
    evaluateWithoutTheGate(javaBkm("Java"));
    assertEquals("ran", System.getProperty(PROBE), "the probe does not work, so the tests below would prove nothing");
  }

  @Test
  void withoutTheGateTheEngineRunsAFeelExternalFunction() {
    evaluateWithoutTheGate(feelExternal());
    assertEquals("ran", System.getProperty(PROBE), "the probe does not work, so the tests below would prove nothing");
  }

  @Test
  void theShippedModelPassesTheCodeCheck() {
    List<ValidationMessage> out = new ArrayList<>();
    String file = "dmn/customer-tiering.dmn";
    assertTrue(DmnCodeCheck.check(file, TestRuleSets.shipped().files().all().get(file), out), () -> "findings: " + out);
    assertEquals(List.of(), out);
  }

  @Test
  void aJavaFunctionInABusinessKnowledgeModelIsRefusedNamingIt() {
    assertRefused(check(javaBkm("Java")), m -> m.text().contains("business knowledge model 'Set Property'")
        && m.text().contains("defines a Java function (kind=\"Java\")") && m.text().contains("FEEL"), "kind Java");
  }

  @Test
  void theShortJavaKindIsRefusedToo() {
    assertRefused(check(javaBkm("J")), m -> m.text().contains("business knowledge model 'Set Property'")
        && m.text().contains("kind=\"J\""), "kind J");
  }

  @Test
  void aPmmlFunctionIsRefused() {
    assertRefused(check(javaBkm("PMML")), m -> m.text().contains("business knowledge model 'Set Property'")
        && m.text().contains("PMML"), "kind PMML");
  }

  @Test
  void aFeelExternalJavaFunctionIsRefusedNamingTheDecision() {
    assertRefused(check(feelExternal()), m -> "Probe Result".equals(m.decision())
        && m.text().contains("external (Java or PMML) function"), "FEEL external");
  }

  @Test
  void aFeelPathToTheClassOfAValueIsRefused() {
    // The engine answers "abc".class.newInstance by calling getClass() and newInstance(): it creates an object.
    assertRefused(check(model("&quot;abc&quot;.class.newInstance", "", false)), m -> "Probe Result".equals(m.decision())
        && m.text().contains("the path .class reaches the Java method"), "FEEL .class");
  }

  @Test
  void aFeelPathToTheEngineContextOfAFunctionIsRefused() {
    assertRefused(check(model("(function(x) x).evaluationContext", "", false)), m -> "Probe Result".equals(m.decision())
        && m.text().contains(".evaluationContext"), "FEEL .evaluationContext");
  }

  @Test
  void anExternalInsideAFeelStringPasses() {
    String xml = model("&quot;a function(x) external { java: ... } and x.class in a string&quot;", "", false);
    List<ValidationMessage> out = new ArrayList<>();
    assertTrue(DmnCodeCheck.check(PROBE_DMN, xml, out), () -> "findings: " + out);
  }

  @Test
  void anImportOfAnotherModelIsRefused() {
    String xml = model("1", "", false).replace("namespace=\"https://valuetier.io/dmn/probe\">",
        "namespace=\"https://valuetier.io/dmn/probe\">\n  <import namespace=\"https://example.org/other\" name=\"other\""
            + " importType=\"https://www.omg.org/spec/DMN/20230324/MODEL/\" locationURI=\"other.dmn\"/>");
    assertRefused(check(xml), m -> m.text().contains("imports other.dmn"), "import");
  }
}
