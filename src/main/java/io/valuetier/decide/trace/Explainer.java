package io.valuetier.decide.trace;

import io.valuetier.decide.Decision;
import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.dmn.DmnTables;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSetHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kie.dmn.backend.marshalling.v1x.DMNMarshallerFactory;

/**
 * Says in words why the engine decided what it did for a customer: the inputs, each DMN row that matched with its
 * conditions and reason (read from the exact rule-set version that decided), and each guardrail that changed the
 * action.
 */
public final class Explainer {
  private final RuleSetHistory history;
  private final Map<String, List<DecisionTableInfo>> tablesByVersion = new HashMap<>();

  public Explainer(RuleSetHistory history) {
    this.history = history;
  }

  /** The explanation of a stored decision, as lines of text. */
  public List<String> explain(LoggedDecision logged) {
    Decision d = logged.decision();
    List<String> out = new ArrayList<>();
    out.add("Customer " + d.customerId() + ": decision " + d.decisionId() + " at " + d.decidedAt());
    out.add("  rule set " + d.ruleSetVersion() + " (" + (d.ruleSetRole() == null ? "champion" : d.ruleSetRole())
        + "), model " + d.modelId() + " version " + d.modelVersion()
        + (d.controlGroup() ? ", control group of " + d.actionCode() + " (held out: no contact)" : ""));
    StringBuilder in = new StringBuilder("  inputs: ");
    boolean first = true;
    for (var e : logged.inputs().entrySet()) {
      if (!first) {
        in.append(", ");
      }
      first = false;
      in.append(e.getKey()).append(' ').append(e.getValue() == null ? "unknown" : e.getValue());
    }
    out.add(in.toString());
    out.add("");
    List<DecisionTableInfo> tables = tables(d.ruleSetVersion());
    Map<String, String> results = new HashMap<>();
    results.put(TieringModel.VALUE_TIER, d.valueTier());
    results.put(TieringModel.SERVICE_LEVEL, d.serviceLevel());
    results.put(TieringModel.MARKETING_ACTION, d.proposedAction());
    for (String ref : d.matchedRows() == null ? new String[0] : d.matchedRows().split(";")) {
      int hash = ref.lastIndexOf('#');
      if (hash < 0) {
        continue;
      }
      String decision = ref.substring(0, hash);
      int row = Integer.parseInt(ref.substring(hash + 1));
      DecisionTableInfo t = tables.stream().filter(x -> x.decision().equals(decision)).findFirst().orElse(null);
      String result = results.getOrDefault(decision, "");
      String verb = decision.equals(TieringModel.MARKETING_ACTION) ? " proposed " : " = ";
      out.add(decision + verb + result);
      if (t == null) {
        out.add("  because rule " + row + " matched (the text of rule-set version " + d.ruleSetVersion() + " is not stored)");
      } else {
        DecisionTableInfo.Row r = t.row(row);
        out.add("  because rule " + row + " of '" + decision + "' (id " + r.id() + ", hit policy " + t.hitPolicy()
            + ") matched: " + t.conditions(r));
        out.add("  reason: " + r.annotation());
      }
    }
    out.add("");
    if (d.interventions().isEmpty()) {
      out.add("Guardrails: none changed the action.");
    } else {
      for (Intervention i : d.interventions()) {
        out.add("Guardrail '" + i.rule() + "' (" + i.code() + ") changed the action: " + i.reason());
      }
    }
    out.add("Final action: " + d.actionCode() + (d.controlGroup() ? " HELD OUT as its control group" : "") + ", channel " + (d.channel() == null ? "none (no contact)" : d.channel())
        + ", offer " + (d.offer() == null ? "none" : d.offer() + " (cost " + d.offerCost() + ")")
        + ", priority " + d.priority());
    out.add("Service level: " + d.serviceLevel() + "; predicted value " + d.predictedValue());
    return out;
  }

  private List<DecisionTableInfo> tables(String version) {
    return tablesByVersion.computeIfAbsent(
        version,
        v -> {
          Optional<RuleFiles> files = history.load(v);
          List<DecisionTableInfo> all = new ArrayList<>();
          files.ifPresent(
              f ->
                  f.in(RuleFiles.DMN_DIR, ".dmn")
                      .forEach(
                          (path, xml) ->
                              all.addAll(
                                  DmnTables.of(path, DMNMarshallerFactory.newDefaultMarshaller().unmarshal(xml))
                                      .tables())));
          return all;
        });
  }
}
