package io.valuetier.decide.rules;

import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.dmn.DmnTables;
import io.valuetier.decide.rules.ValidationMessage.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.BusinessKnowledgeModelNode;
import org.kie.dmn.api.core.ast.DMNNode;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.api.core.ast.DecisionServiceNode;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.api.feel.runtime.events.FEELEvent;
import org.kie.dmn.core.ast.DMNBaseNode;
import org.kie.dmn.core.ast.DecisionNodeImpl;
import org.kie.dmn.core.impl.BaseDMNTypeImpl;
import org.kie.dmn.feel.FEEL;
import org.kie.dmn.feel.lang.CompilerContext;
import org.kie.dmn.feel.lang.Type;
import org.kie.dmn.feel.lang.types.BuiltInType;
import org.kie.dmn.feel.parser.feel11.profiles.KieExtendedFEELProfile;
import org.kie.dmn.feel.runtime.events.UnknownVariableErrorEvent;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.FunctionDefinition;
import org.kie.dmn.model.api.InformationItem;
import org.kie.dmn.model.api.UnaryTests;

/**
 * The names in the comparisons of decision tables (input entries, and the input and output values of a column), which
 * the KIE DMN compiler does not resolve: it compiles the endpoint of a comparison ({@code >= ninety}, {@code < Limit})
 * with dynamic name resolution, so an unknown name passes compilation and every evaluation of the table then fails
 * with "Unknown variable name". Names in output entries, input expressions, intervals and literal expressions are
 * resolved by the compiler itself (its messages come through {@link RuleSetCompiler}).
 *
 * <p>Each comparison is compiled again by the engine's FEEL compiler as the equivalent test
 * {@code ? >= ninety}, where names are resolved, in the scope the DMN compiler gives the decision: its required
 * inputs, decisions and knowledge models with their types (or a knowledge model's parameters). An unknown name is an
 * error that names the file, decision, rule row, column and the cell, with the engine's message.
 */
final class DmnNameCheck {
  /** A comparison test: its operator and endpoint. */
  private static final Pattern COMPARISON = Pattern.compile("^(<=|>=|!=|<|>|=)\\s*(\\S.*)$", Pattern.DOTALL);
  private static final Pattern NEGATION = Pattern.compile("^not\\s*\\((.*)\\)$", Pattern.DOTALL);

  private DmnNameCheck() {}

  /**
   * Checks the comparisons of the tables of {@code index} against the scope of their decisions in {@code model};
   * cells the engine already reported an error for ({@code reported}: decision, row and column) are left out.
   * Returns whether an error was found.
   */
  static boolean check(String file, DmnTables index, DMNModel model, Set<List<Object>> reported,
      List<ValidationMessage> out) {
    List<String> found = new ArrayList<>();
    FEEL feel = FEEL.newInstance(DmnNameCheck.class.getClassLoader(), List.of(new KieExtendedFEELProfile()));
    feel.addListener(e -> {
      if (e instanceof UnknownVariableErrorEvent && e.getSeverity() == FEELEvent.Severity.ERROR) {
        found.add(e.getMessage());
      }
    });
    int before = out.size();
    for (DecisionTableInfo t : index.tables()) {
      Map<String, Type> scope = scope(model, t.decision());
      if (scope == null) {
        continue;
      }
      Checker checker = (row, column, cell, what) -> {
        if (cell == null || cell.isBlank() || cell.strip().equals("-")
            || reported.contains(Arrays.asList(t.decision(), row, column))) {
          return;
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (String test : comparisons(cell.strip())) {
          found.clear();
          compile(feel, test, scope);
          unknown.addAll(found);
        }
        if (!unknown.isEmpty()) {
          out.add(new ValidationMessage(Severity.ERROR, file, t.decision(), row, column, what + "FEEL expression '"
              + cell.strip() + "': " + String.join("; ", unknown) + ": a cell can name only the decision's inputs and"
              + " required decisions (" + names(scope) + ") or a constant (e.g. >= 90); correct the name, or connect"
              + " the missing input in the diagram"));
        }
      };
      for (DecisionTableInfo.Row row : t.rows()) {
        for (int c = 0; c < row.when().size() && c < t.inputs().size(); c++) {
          checker.check(row.number(), t.inputs().get(c), row.when().get(c), "");
        }
      }
      DecisionTable table = table(model, t.decision());
      for (int c = 0; table != null && c < table.getInput().size() && c < t.inputs().size(); c++) {
        UnaryTests values = table.getInput().get(c).getInputValues();
        checker.check(0, t.inputs().get(c), values == null ? null : values.getText(), "the column's input values, ");
      }
      for (int c = 0; table != null && c < table.getOutput().size() && c < t.outputs().size(); c++) {
        UnaryTests values = table.getOutput().get(c).getOutputValues();
        checker.check(0, t.outputs().get(c), values == null ? null : values.getText(), "the column's output values, ");
      }
    }
    return out.size() > before;
  }

  /** Checks one cell or value list of a table: rule row (0 for a column's values), column, text, what it is. */
  private interface Checker {
    void check(int row, String column, String cell, String what);
  }

  /** The decision table of a decision or business knowledge model, or null. */
  private static DecisionTable table(DMNModel model, String element) {
    DecisionNode d = model.getDecisionByName(element);
    if (d instanceof DecisionNodeImpl impl && impl.getDecision() != null) {
      return impl.getDecision().getExpression() instanceof DecisionTable dt ? dt : null;
    }
    BusinessKnowledgeModelNode bkm = model.getBusinessKnowledgeModelByName(element);
    FunctionDefinition f = bkm == null ? null : bkm.getBusinessKnowledModel().getEncapsulatedLogic();
    return f != null && f.getExpression() instanceof DecisionTable dt ? dt : null;
  }

  /** The comparison tests of a cell, each as the equivalent test on {@code ?}: {@code >= 90, < x} gives two. */
  static List<String> comparisons(String cell) {
    List<String> out = new ArrayList<>();
    Matcher not = NEGATION.matcher(cell.strip());
    String tests = not.matches() ? not.group(1) : cell;
    for (String test : topLevel(tests)) {
      Matcher m = COMPARISON.matcher(test.strip());
      if (m.matches()) {
        out.add("? " + m.group(1) + " " + m.group(2));
      }
    }
    return out;
  }

  /** The comma-separated parts of a list of tests, leaving commas inside strings, brackets and parentheses. */
  private static List<String> topLevel(String tests) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    boolean string = false;
    for (int i = 0; i < tests.length(); i++) {
      char ch = tests.charAt(i);
      if (string) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          string = false;
        }
      } else if (ch == '"') {
        string = true;
      } else if (ch == '(' || ch == '[' || ch == '{') {
        depth++;
      } else if (ch == ')' || ch == ']' || ch == '}') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        parts.add(tests.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(tests.substring(start));
    return parts;
  }

  /** Compiles one test in {@code scope}; the engine tells {@code feel}'s listener about each unknown name. */
  private static void compile(FEEL feel, String test, Map<String, Type> scope) {
    CompilerContext ctx = feel.newCompilerContext();
    scope.forEach(ctx::addInputVariableType);
    ctx.addInputVariableType("?", BuiltInType.UNKNOWN);
    try {
      feel.processUnaryTests(test, ctx);
    } catch (RuntimeException e) {
      // a test the compiler cannot build: the engine's own compilation of the cell reports it
    }
  }

  /**
   * The names a table of {@code element} (a decision or a business knowledge model) may use, with their FEEL types,
   * as the DMN compiler gives them; null when the element is not in the compiled model.
   */
  private static Map<String, Type> scope(DMNModel model, String element) {
    Map<String, Type> scope = new LinkedHashMap<>();
    DMNNode node = model.getDecisionByName(element);
    if (node == null) {
      BusinessKnowledgeModelNode bkm = model.getBusinessKnowledgeModelByName(element);
      if (bkm == null) {
        return null;
      }
      node = bkm;
      FunctionDefinition f = bkm.getBusinessKnowledModel().getEncapsulatedLogic();
      if (f != null) {
        for (InformationItem p : f.getFormalParameter()) {
          scope.put(p.getName(), BuiltInType.UNKNOWN);
        }
      }
    }
    if (!(node instanceof DMNBaseNode base)) {
      return null;
    }
    for (DMNNode dep : base.getDependencies().values()) {
      DMNType type = switch (dep) {
        case DecisionNode d -> d.getResultType();
        case InputDataNode i -> i.getType();
        case BusinessKnowledgeModelNode b -> b.getResultType();
        case DecisionServiceNode s -> s.getResultType();
        default -> null;
      };
      scope.put(dep.getName(), type instanceof BaseDMNTypeImpl t && t.getFeelType() != null
          ? t.getFeelType() : BuiltInType.UNKNOWN);
    }
    return scope;
  }

  private static String names(Map<String, Type> scope) {
    return scope.isEmpty() ? "it has none" : String.join(", ", scope.keySet().stream().sorted().toList());
  }
}
