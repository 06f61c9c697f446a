package io.valuetier.decide.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.util.Json;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision read back from the decision log, for an explanation: the decision, the run that made it and its inputs
 * as the trace recorded them (under the names the DMN model uses, with any note added after deciding, such as where
 * caller-supplied inputs came from). The trace keeps the guardrails that changed the action, not every rule that
 * fired: the decision's {@code firedRules} are those guardrails' rules. Numbers of the input come back from the
 * trace's JSON (equal in value, not always in scale).
 */
public record LoggedDecision(long runId, Decision decision, Map<String, Object> inputs) {

  /** Text columns of the trace are clipped to this length. */
  static final int TEXT_LIMIT = 4000;

  /**
   * The stored trace field by field, named after the columns of {@code decisions} in camel case, in a fixed order:
   * what {@code explain --json} prints and, in snake case, what the API answers for a stored decision.
   */
  public Map<String, Object> fields() {
    Decision d = decision;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decisionId", d.decisionId());
    m.put("runId", runId);
    m.put("customerId", d.customerId());
    m.put("decidedAt", d.decidedAt());
    m.put("ruleSet", d.ruleSetVersion());
    m.put("ruleSetRole", d.ruleSetRole());
    m.put("modelId", d.modelId());
    m.put("modelVersion", d.modelVersion());
    m.put("valueTier", d.valueTier());
    m.put("actionCode", d.actionCode());
    m.put("channel", d.channel());
    m.put("offer", d.offer());
    m.put("priority", d.priority());
    m.put("offerCost", d.offerCost());
    m.put("serviceLevel", d.serviceLevel());
    m.put("predictedValue", d.predictedValue());
    m.put("controlGroup", d.controlGroup());
    m.put("proposedAction", d.proposedAction());
    m.put("guardrails", d.guardrailCodes().isEmpty() ? null : d.guardrailCodes());
    m.put("reasons", clip(d.reasons()));
    m.put("modelReasons", d.input() == null ? List.of() : d.input().modelReasons());
    m.put("matchedRows", d.matchedRows());
    m.put("firedRules", d.interventions());
    m.put("inputs", inputs);
    m.put("products", d.products());
    return m;
  }

  static String clip(String s) {
    return s == null || s.length() <= TEXT_LIMIT ? s : s.substring(0, TEXT_LIMIT - 1) + "…";
  }

  /** The decision of the current row of {@code rs}, which selects the columns of {@code decisions} by name. */
  static LoggedDecision read(ResultSet rs) throws SQLException, JsonProcessingException {
    String fired = rs.getString("fired_rules");
    int priority = rs.getInt("priority");
    Integer prio = rs.wasNull() ? null : priority;
    List<Intervention> interventions =
        fired == null ? List.of() : Json.MAPPER.readValue(fired, new TypeReference<List<Intervention>>() {});
    Map<String, Object> inputs = inputs(rs);
    String customerId = rs.getString("customer_id");
    String modelId = rs.getString("model_id");
    Decision d =
        new Decision(
            rs.getLong("decision_id"),
            customerId,
            rs.getTimestamp("decided_at").toInstant(),
            rs.getString("rule_set"),
            rs.getString("rule_set_role"),
            modelId,
            rs.getString("model_version"),
            rs.getString("value_tier"),
            rs.getString("action_code"),
            rs.getString("channel"),
            rs.getString("offer"),
            prio,
            rs.getBigDecimal("offer_cost"),
            rs.getString("service_level"),
            rs.getBigDecimal("predicted_value"),
            rs.getBoolean("control_group"),
            rs.getString("proposed_action"),
            rs.getString("matched_rows"),
            rowReasons(rs.getString("reasons"), interventions),
            interventions,
            interventions.stream().map(Intervention::rule).toList(),
            input(customerId, modelId, inputs,
                Arrays.asList(rs.getString("model_reason_1"), rs.getString("model_reason_2"),
                    rs.getString("model_reason_3"))),
            ProductPick.fromJson(rs.getString("products")));
    return new LoggedDecision(rs.getLong("run_id"), d, inputs);
  }

  /**
   * The inputs of the current row under the DMN's names, from the row's typed columns, then whatever its note adds (a
   * decision written before the narrow trace has no typed inputs: its note holds all of them).
   */
  private static Map<String, Object> inputs(ResultSet rs) throws SQLException, JsonProcessingException {
    Map<String, Object> m = new LinkedHashMap<>();
    double percentile = rs.getDouble("value_percentile");
    boolean typed = !rs.wasNull();
    if (typed) {
      m.put("Predicted Spend", number(rs, "predicted_value"));
      m.put("Value Percentile", percentile);
      m.put("Probability Active", number(rs, "probability_active"));
      m.put("Cold Start", rs.getBoolean("cold_start"));
      m.put("Model Version", rs.getString("model_version"));
      m.put("Tenure Days", number(rs, "tenure_days"));
      m.put("Marketing Consent", flag(rs, "marketing_consent"));
      m.put("Loyalty Member", flag(rs, "loyalty_member"));
      m.put("Returns Ratio", number(rs, "returns_ratio"));
      m.put("Open Complaints", number(rs, "open_complaints"));
      m.put("Country", rs.getString("country"));
      m.put("Segment", rs.getString("segment"));
      m.put("Fraud Flag", flag(rs, "fraud_flag"));
      m.put("Recent Contacts", rs.getInt("recent_contacts"));
      Number low = number(rs, "predicted_value_low");
      if (low != null) {
        m.put(TieringModel.SPEND_LOW, low);
        m.put(TieringModel.SPEND_HIGH, number(rs, "predicted_value_high"));
      }
    }
    String note = rs.getString("input_note");
    if (note != null) {
      m.putAll(Json.MAPPER.readValue(note, new TypeReference<Map<String, Object>>() {}));
    }
    return m;
  }

  /** A whole number as a long (tenure days, complaints), any other as a double; null stays null (as JSON reads). */
  private static Number number(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    if (rs.wasNull()) {
      return null;
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }

  private static Boolean flag(ResultSet rs, String column) throws SQLException {
    boolean v = rs.getBoolean(column);
    return rs.wasNull() ? null : v;
  }

  /**
   * The matched rows' reasons of a stored reasons text: the text is those reasons then the guardrails' reasons, all
   * joined by {@code " | "} (see {@link Decision#reasons()}), so the guardrails' part is taken off the end and the
   * rest split (a reason that held the separator itself comes back as two). Whatever does not split back into the
   * same text stays one reason, so that the decision's reasons are the stored text again.
   */
  static List<String> rowReasons(String stored, List<Intervention> interventions) {
    if (stored == null || stored.isEmpty()) {
      return List.of();
    }
    String rows = stored;
    if (!interventions.isEmpty()) {
      String guardrails = Decision.reasons(List.of(), interventions);
      if (stored.equals(guardrails)) {
        return List.of();
      }
      if (stored.endsWith(" | " + guardrails)) {
        rows = stored.substring(0, stored.length() - guardrails.length() - 3);
      }
    }
    List<String> split = List.of(rows.split(" \\| ", -1));
    return Decision.reasons(split, List.of()).equals(rows) ? split : List.of(rows);
  }

  /** The decision input recorded under the DMN's names ({@link #inputs(ResultSet)}); unknown facts stay null. */
  private static DecisionInput input(
      String customerId, String modelId, Map<String, Object> in, List<String> modelReasons) {
    return new DecisionInput(
        customerId,
        decimal(in.get("Predicted Spend")),
        decimal(in.get("Value Percentile")),
        decimal(in.get("Probability Active")),
        Boolean.TRUE.equals(in.get("Cold Start")),
        modelId,
        text(in.get("Model Version")),
        decimal(in.get("Tenure Days")),
        decimal(in.get("Returns Ratio")),
        flag(in.get("Marketing Consent")),
        flag(in.get("Loyalty Member")),
        decimal(in.get("Open Complaints")),
        flag(in.get("Fraud Flag")),
        text(in.get("Country")),
        text(in.get("Segment")),
        in.get("Recent Contacts") instanceof Number n ? n.intValue() : 0,
        modelReasons,
        decimal(in.get(TieringModel.SPEND_LOW)),
        decimal(in.get(TieringModel.SPEND_HIGH)));
  }

  private static BigDecimal decimal(Object v) {
    return v instanceof Number n ? new BigDecimal(n.toString()) : null;
  }

  private static Boolean flag(Object v) {
    return v instanceof Boolean b ? b : null;
  }

  private static String text(Object v) {
    return v == null ? null : v.toString();
  }
}
