package io.valuetier.decide.dmn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.dmn.model.api.BusinessKnowledgeModel;
import org.kie.dmn.model.api.Decision;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.Definitions;
import org.kie.dmn.model.api.DRGElement;
import org.kie.dmn.model.api.Expression;
import org.kie.dmn.model.api.FunctionDefinition;
import org.kie.dmn.model.api.InputClause;
import org.kie.dmn.model.api.OutputClause;
import org.kie.dmn.model.api.RuleAnnotation;
import org.kie.dmn.model.api.UnaryTests;

/**
 * Reads the decision tables of a DMN model and indexes every element id to a place an analyst recognises: the
 * decision, the rule row (1-based) and the column. Validation messages and explanations use it.
 */
public final class DmnTables {

  /** Where an element sits: decision, table, row (0 when not in a row) and column name (null when none). */
  public record Place(String decision, DecisionTableInfo table, int row, String column) {}

  private final List<DecisionTableInfo> tables = new ArrayList<>();
  private final Map<String, Place> byId = new HashMap<>();
  private final Map<String, String> elementNames = new HashMap<>();

  private DmnTables() {}

  /** Indexes the tables of {@code definitions}, read from {@code file}. */
  public static DmnTables of(String file, Definitions definitions) {
    DmnTables t = new DmnTables();
    for (DRGElement e : definitions.getDrgElement()) {
      t.elementNames.put(e.getId(), e.getName());
      if (e instanceof Decision d) {
        t.byId.put(d.getId(), new Place(d.getName(), null, 0, null));
        if (d.getVariable() != null) {
          t.put(d.getVariable().getId(), new Place(d.getName(), null, 0, null));
        }
        d.getInformationRequirement().forEach(ir -> t.put(ir.getId(), new Place(d.getName(), null, 0, null)));
        t.addExpression(file, d.getName(), d.getExpression());
      } else if (e instanceof BusinessKnowledgeModel bkm) {
        t.byId.put(bkm.getId(), new Place(bkm.getName(), null, 0, null));
        FunctionDefinition f = bkm.getEncapsulatedLogic();
        if (f != null) {
          t.addExpression(file, bkm.getName(), f.getExpression());
        }
      } else {
        t.byId.put(e.getId(), new Place(e.getName(), null, 0, null));
      }
    }
    return t;
  }

  private void addExpression(String file, String decision, Expression expression) {
    if (!(expression instanceof DecisionTable dt)) {
      return;
    }
    List<String> inputs = new ArrayList<>();
    for (InputClause in : dt.getInput()) {
      String label = in.getLabel();
      if (label == null || label.isBlank()) {
        label = in.getInputExpression() == null ? "input " + (inputs.size() + 1) : in.getInputExpression().getText();
      }
      inputs.add(label);
    }
    List<String> outputs = new ArrayList<>();
    for (OutputClause out : dt.getOutput()) {
      outputs.add(out.getName() == null || out.getName().isBlank() ? decision : out.getName());
    }
    List<DecisionTableInfo.Row> rows = new ArrayList<>();
    int n = 0;
    for (DecisionRule r : dt.getRule()) {
      n++;
      StringBuilder why = new StringBuilder();
      for (RuleAnnotation a : r.getAnnotationEntry()) {
        if (a.getText() != null && !a.getText().isBlank()) {
          if (!why.isEmpty()) {
            why.append(' ');
          }
          why.append(a.getText().strip());
        }
      }
      List<String> when = new ArrayList<>();
      r.getInputEntry().forEach(c -> when.add(c.getText() == null ? "" : c.getText()));
      List<String> then = new ArrayList<>();
      r.getOutputEntry().forEach(c -> then.add(c.getText() == null ? "" : c.getText()));
      rows.add(new DecisionTableInfo.Row(n, r.getId(), why.toString(), List.copyOf(when), List.copyOf(then)));
    }
    DecisionTableInfo info =
        new DecisionTableInfo(file, decision, dt.getId(), dt.getHitPolicy().value(), List.copyOf(inputs),
            List.copyOf(outputs), List.copyOf(rows));
    tables.add(info);
    if (dt.getId() != null) {
      byId.put(dt.getId(), new Place(decision, info, 0, null));
    }
    for (int i = 0; i < dt.getInput().size(); i++) {
      InputClause in = dt.getInput().get(i);
      put(in.getId(), new Place(decision, info, 0, inputs.get(i)));
      if (in.getInputExpression() != null) {
        put(in.getInputExpression().getId(), new Place(decision, info, 0, inputs.get(i)));
      }
      UnaryTests values = in.getInputValues();
      if (values != null) {
        put(values.getId(), new Place(decision, info, 0, inputs.get(i)));
      }
    }
    for (int i = 0; i < dt.getOutput().size(); i++) {
      put(dt.getOutput().get(i).getId(), new Place(decision, info, 0, outputs.get(i)));
    }
    n = 0;
    for (DecisionRule r : dt.getRule()) {
      n++;
      put(r.getId(), new Place(decision, info, n, null));
      for (int i = 0; i < r.getInputEntry().size(); i++) {
        put(r.getInputEntry().get(i).getId(), new Place(decision, info, n, i < inputs.size() ? inputs.get(i) : null));
      }
      for (int i = 0; i < r.getOutputEntry().size(); i++) {
        put(r.getOutputEntry().get(i).getId(), new Place(decision, info, n, i < outputs.size() ? outputs.get(i) : null));
      }
    }
  }

  private void put(String id, Place place) {
    if (id != null) {
      byId.put(id, place);
    }
  }

  /** The decision tables in document order. */
  public List<DecisionTableInfo> tables() {
    return List.copyOf(tables);
  }

  /** The place of an element id, or null. */
  public Place place(String id) {
    return id == null ? null : byId.get(id);
  }

  /** The table of a decision, or null. */
  public DecisionTableInfo table(String decision) {
    for (DecisionTableInfo t : tables) {
      if (t.decision().equals(decision)) {
        return t;
      }
    }
    return null;
  }
}
