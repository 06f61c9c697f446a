package io.valuetier.decide.dmn;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.dmn.model.api.BusinessKnowledgeModel;
import org.kie.dmn.model.api.DRGElement;
import org.kie.dmn.model.api.Decision;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionService;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.Definitions;
import org.kie.dmn.model.api.InputClause;
import org.kie.dmn.model.api.LiteralExpression;
import org.kie.dmn.model.api.UnaryTests;

/**
 * When every decision of a model is a decision table whose cells only compare an input with constants, and whose
 * outputs are constants, the outcome of the model depends on its inputs only through which side of each constant they
 * fall. Customers in the same <em>cell</em> (the same side of every constant of every column, the same text and flag
 * values) get the same rows and outputs, so the outcome of a cell can be remembered after the engine computed it once.
 *
 * <p>The cells are derived from the model itself, at compile time, for every version an analyst writes. A model with
 * anything else (a FEEL expression in a cell or an output, a literal-expression decision, a business knowledge model,
 * a decision service, an import) has no cells ({@link #of} is empty) and every customer goes to the engine. Only
 * successful evaluations are remembered; an input that makes the engine fail fails every time.
 */
final class DecisionCells {
  /** A numeric column: its constants, sorted. */
  private record NumericColumn(String data, String component, BigDecimal[] constants) {}

  /** A column read as is (text, flags; {@code whole} false: only whether it is empty). */
  private record ValueColumn(String data, String component, boolean whole) {}

  private final List<NumericColumn> numeric;
  private final List<ValueColumn> values;

  private DecisionCells(List<NumericColumn> numeric, List<ValueColumn> values) {
    this.numeric = numeric;
    this.values = values;
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern COMPARISON = Pattern.compile("(<=|>=|<|>|=)?\\s*(-?\\d+(?:\\.\\d+)?)");
  private static final Pattern RANGE =
      Pattern.compile("[\\[(\\]]\\s*(-?\\d+(?:\\.\\d+)?)\\s*\\.\\.\\s*(-?\\d+(?:\\.\\d+)?)\\s*[\\])\\[]");
  private static final Pattern STRINGS = Pattern.compile("\"[^\"\\\\]*\"(\\s*,\\s*\"[^\"\\\\]*\")*");
  private static final Pattern PATH = Pattern.compile("([A-Za-z][A-Za-z0-9 ]*)\\.([A-Za-z][A-Za-z0-9 ]*)");

  /** The cells of a model, or empty when its decisions are not all tables of constants. */
  static Optional<DecisionCells> of(Definitions definitions) {
    if (definitions == null || !definitions.getImport().isEmpty()) {
      return Optional.empty();
    }
    List<String> decisions = new ArrayList<>();
    for (DRGElement e : definitions.getDrgElement()) {
      if (e instanceof Decision d) {
        decisions.add(d.getName());
      }
    }
    Map<String, TreeSet<BigDecimal>> constants = new LinkedHashMap<>();
    Map<String, Boolean> asValues = new LinkedHashMap<>();
    for (DRGElement e : definitions.getDrgElement()) {
      if (e instanceof BusinessKnowledgeModel || e instanceof DecisionService) {
        return Optional.empty();
      }
      if (!(e instanceof Decision d)) {
        continue;
      }
      if (!(d.getExpression() instanceof DecisionTable t)) {
        return Optional.empty();
      }
      List<String> columns = new ArrayList<>();
      for (InputClause in : t.getInput()) {
        String expr = in.getInputExpression() == null ? null : in.getInputExpression().getText();
        if (expr == null) {
          return Optional.empty();
        }
        expr = expr.strip();
        if (decisions.contains(expr)) {
          columns.add(null); // another decision's output: a function of the cell already
          continue;
        }
        Matcher m = PATH.matcher(expr);
        if (!m.matches()) {
          return Optional.empty();
        }
        String column = m.group(1).strip() + "\u0000" + m.group(2).strip();
        columns.add(column);
        UnaryTests allowed = in.getInputValues();
        if (allowed != null && allowed.getText() != null && !allowed.getText().isBlank()) {
          if (!collect(allowed.getText(), column, constants, asValues)) {
            return Optional.empty();
          }
        }
      }
      for (DecisionRule r : t.getRule()) {
        List<UnaryTests> entries = r.getInputEntry();
        for (int i = 0; i < entries.size(); i++) {
          String text = entries.get(i).getText() == null ? "-" : entries.get(i).getText().strip();
          if (text.equals("-") || text.isEmpty()) {
            continue;
          }
          String column = i < columns.size() ? columns.get(i) : null;
          if (column == null) {
            if (!STRINGS.matcher(text).matches()) {
              return Optional.empty();
            }
            continue;
          }
          if (!collect(text, column, constants, asValues)) {
            return Optional.empty();
          }
        }
        for (LiteralExpression out : r.getOutputEntry()) {
          String text = out.getText() == null ? "" : out.getText().strip();
          if (!(text.equals("null") || text.equals("true") || text.equals("false") || NUMBER.matcher(text).matches()
              || text.matches("\"[^\"\\\\]*\""))) {
            return Optional.empty();
          }
        }
      }
    }
    List<NumericColumn> numeric = new ArrayList<>();
    List<ValueColumn> values = new ArrayList<>();
    Set<String> all = new LinkedHashSet<>(constants.keySet());
    all.addAll(asValues.keySet());
    for (String column : all) {
      String[] p = column.split("\u0000", 2);
      if (asValues.containsKey(column)) {
        values.add(new ValueColumn(p[0], p[1], asValues.get(column)));
      }
      if (constants.containsKey(column)) {
        numeric.add(new NumericColumn(p[0], p[1], constants.get(column).toArray(BigDecimal[]::new)));
      }
    }
    return Optional.of(new DecisionCells(numeric, values));
  }

  /**
   * Records what a cell of {@code key} (data and component, NUL-separated) compares with; false when it is not a
   * comparison with constants.
   */
  private static boolean collect(
      String text, String key, Map<String, TreeSet<BigDecimal>> constants, Map<String, Boolean> asValues) {
    for (String part : splitTopLevel(text)) {
      String t = part.strip();
      Matcher range = RANGE.matcher(t);
      Matcher cmp = COMPARISON.matcher(t);
      if (range.matches()) {
        constants.computeIfAbsent(key, k -> new TreeSet<>()).add(new BigDecimal(range.group(1)));
        constants.computeIfAbsent(key, k -> new TreeSet<>()).add(new BigDecimal(range.group(2)));
      } else if (cmp.matches()) {
        constants.computeIfAbsent(key, k -> new TreeSet<>()).add(new BigDecimal(cmp.group(2)));
      } else if (t.equals("null")) {
        asValues.putIfAbsent(key, false); // only whether it is empty matters
      } else if (t.equals("true") || t.equals("false") || t.matches("\"[^\"\\\\]*\"")) {
        asValues.put(key, true);
      } else {
        return false;
      }
    }
    return true;
  }

  /** A cell's tests split at top-level commas (a list of tests means any of them). */
  private static List<String> splitTopLevel(String text) {
    List<String> out = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(text.substring(start, i));
        start = i + 1;
      }
    }
    out.add(text.substring(start));
    return out;
  }

  /** The cell of one customer's inputs (as {@link TieringModel#inputs} builds them). */
  String key(Map<String, Object> inputs) {
    StringBuilder sb = new StringBuilder(48);
    for (NumericColumn c : numeric) {
      Object v = component(inputs, c.data(), c.component());
      if (v == null) {
        sb.append('n');
      } else if (v instanceof Number n) {
        BigDecimal x = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        int lower = 0;
        boolean equal = false;
        for (BigDecimal k : c.constants()) {
          int cmp = x.compareTo(k);
          if (cmp > 0) {
            lower++;
          } else {
            equal = cmp == 0;
            break;
          }
        }
        sb.append(2 * lower + (equal ? 1 : 0));
      } else {
        sb.append('?').append(v); // not a number: the engine decides (and fails the same way each time)
      }
      sb.append('|');
    }
    for (ValueColumn c : values) {
      Object v = component(inputs, c.data(), c.component());
      sb.append(v == null ? "\u0001" : c.whole() ? v.toString() : "+").append('|');
    }
    return sb.toString();
  }

  private static Object component(Map<String, Object> inputs, String data, String component) {
    return inputs.get(data) instanceof Map<?, ?> m ? m.get(component) : null;
  }
}
