package io.valuetier.api;

import static io.valuetier.api.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.valuetier.api.ApiKeys.Caller;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.model.ScoredCustomer;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The decision endpoints (bean {@code decisionsApi} of {@code routes/api.camel.yaml}): {@code POST /api/v1/decisions},
 * {@code GET /api/v1/customers/{id}/decision} with its trace, and the guard of the transaction events
 * ({@code POST /api/v1/events/transactions}). Keys, roles, rate limit and problem answers are the {@link ApiGuard}'s.
 */
public final class DecisionsResource {
  /** Request fields that replace what the store knows of a customer: they need the facts role. */
  private static final List<String> SUPPLIED = List.of("facts", "recent_contacts", "transactions");
  /** The trace inputs that mark a decision made from caller-supplied data. */
  static final String INPUTS_SOURCE = "Inputs Source";

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private static final ObjectMapper SNAKE =
      Json.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  /** What a decide key does not see of a stored decision: the personal inputs and the predicted value. */
  private static final Set<String> PERSONAL_TRACE = Set.of("inputs", "predicted_value");

  private final ApiGuard guard;
  private final Store store;
  private final DecisionService decisions;
  private final DecisionLog decisionLog;
  private final Explainer explainer;
  private final SuppliedInput input;

  DecisionsResource(
      ApiGuard guard, Store store, DecisionService decisions, DecisionLog decisionLog, SuppliedInput input) {
    this.guard = guard;
    this.store = store;
    this.decisions = decisions;
    this.decisionLog = decisionLog;
    this.explainer = new Explainer(new RuleSetHistory(store));
    this.input = input;
  }

  /**
   * The guard of {@code POST /api/v1/events/transactions} (the route {@code ingest-transaction-events}, which calls it
   * before reading the event): a decide key within its rate limit and a JSON content type. Replies with the problem
   * and returns false when the event must not be read.
   */
  public boolean admitEvent(Exchange ex) {
    return guard.admit(ex, "POST /api/v1/events/transactions", Role.DECIDE);
  }

  /**
   * {@code POST /api/v1/decisions} (role decide). With {@code customer_id} alone the customer is decided from the
   * store. {@code facts}, {@code recent_contacts} and {@code transactions} also need the role facts; they never relax
   * a hold the store knows of (the stricter of stored and supplied consent, fraud flag, complaints and contacts wins),
   * a known customer is scored from their stored score or history (plus the supplied lines; {@link SuppliedInput}),
   * and the trace of such a decision is marked with {@value #INPUTS_SOURCE}.
   */
  public void decide(Exchange ex) {
    guard.answer(ex, "POST /api/v1/decisions", e -> {
      Caller caller = guard.authorize(e, Role.DECIDE);
      JsonNode body = RequestJson.object(e);
      List<String> supplied = SUPPLIED.stream().filter(body::has).toList();
      for (String f : supplied) {
        if (!caller.has(Role.FACTS)) {
          throw Problem.forbidden("the field " + f + " needs a key that also has the role facts; send customer_id"
              + " alone to decide from what the store knows", f);
        }
      }
      String customerId = requiredText(body, "customer_id");
      Decision d;
      if (supplied.isEmpty()) {
        Optional<Decision> known = decisions.decide(customerId);
        d = known.orElseThrow(() -> Problem.notFound(
            "customer " + customerId + " has no score: send the customer's facts and transactions to score it now"));
        count(d);
        return decisionJson(d, null, null);
      }
      SuppliedInput.Built in = input.build(customerId, body, supplied);
      d = decisions.decide(in.input());
      markTrace(d, supplied);
      count(d);
      return decisionJson(d, in.scored(), "request: " + String.join(", ", supplied));
    });
  }

  /**
   * Marks the stored trace of a decision made from supplied data: its inputs get {@value #INPUTS_SOURCE} (which
   * request fields were used; the stricter stored holds were applied), which the explanation and GET show.
   */
  private void markTrace(Decision d, List<String> supplied) {
    Map<String, Object> note = new LinkedHashMap<>();
    note.put(INPUTS_SOURCE, "request: " + String.join(", ", supplied) + " (stricter stored holds kept)");
    store.execute("UPDATE decision_rows SET input_note = ? WHERE decision_id = ?", Json.write(note), d.decisionId());
  }

  private void count(Decision d) {
    guard.metrics().decision(d.valueTier(), d.actionCode());
    if (d.matchedRows() != null) {
      for (String r : d.matchedRows().split(";")) {
        guard.metrics().ruleHit(r);
      }
    }
  }

  private static Map<String, Object> decisionJson(Decision d, ScoredCustomer s, String inputsSource) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", Long.toString(d.decisionId()));
    m.put("customer_id", d.customerId());
    Map<String, Object> p = new LinkedHashMap<>();
    DecisionInput in = d.input();
    p.put("predicted_spend", in.predictedSpend());
    if (in.predictedSpendLow() != null) {
      // the champion's interval around predicted_spend (its coverage is in the model card), as the trace keeps it
      p.put("predicted_spend_interval", List.of(in.predictedSpendLow(), in.predictedSpendHigh()));
    }
    p.put("probability_active", in.probabilityActive());
    p.put("value_percentile", in.valuePercentile());
    p.put("cold_start", in.coldStart());
    p.put("model_id", in.modelId());
    p.put("model_version", in.modelVersion());
    // the model's reasons: of the score just made from the request, else of the stored score the decision used
    p.put("reasons", s != null ? s.reasonTexts() : in.modelReasons());
    m.put("prediction", p);
    m.put("tier", d.valueTier());
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("code", d.actionCode());
    a.put("channel", d.channel());
    a.put("offer", d.offer());
    a.put("priority", d.priority());
    a.put("products", d.products());
    m.put("action", a);
    m.put("service_level", d.serviceLevel());
    m.put("reasons", reasons(d));
    m.put("rule_set", d.ruleSetVersion());
    m.put("rule_set_role", d.ruleSetRole());
    m.put("matched_rows", d.matchedRows());
    m.put("control_group", d.controlGroup());
    m.put("decided_at", d.decidedAt().toString());
    if (inputsSource != null) {
      m.put("inputs_source", inputsSource);
    }
    return m;
  }

  private static List<String> reasons(Decision d) {
    List<String> r = new ArrayList<>(d.rowReasons());
    for (Intervention i : d.interventions()) {
      r.add(i.code() + ": " + i.reason());
    }
    return r;
  }

  /**
   * {@code GET /api/v1/customers/{id}/decision}: with an analyst key the decision with its whole trace (inputs such
   * as consent, fraud flag, complaints and spend, and the explanation); with a decide key the decision as
   * {@code POST /api/v1/decisions} answers it, without the personal trace inputs, the predicted value and the
   * explanation.
   */
  public void latest(Exchange ex) {
    guard.answer(ex, "GET /api/v1/customers/{id}/decision", e -> {
      Caller caller = guard.authorize(e, Role.ANALYST, Role.DECIDE);
      String id = e.getMessage().getHeader("id", String.class);
      if (id == null || id.isBlank() || id.length() > 64) {
        throw Problem.badRequest("id", "the customer id in the path must be 1 to 64 characters");
      }
      LoggedDecision d = decisionLog.latest(id)
          .orElseThrow(() -> Problem.notFound("no decision for customer " + id));
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> fields = new LinkedHashMap<>();
      d.fields().forEach((name, value) -> fields.put(SNAKE_CASE.translate(name), value));
      @SuppressWarnings("unchecked")
      Map<String, Object> decision = SNAKE.convertValue(fields, Map.class);
      Object source = d.inputs().get(INPUTS_SOURCE);
      if (source != null) {
        decision.put("inputs_source", source);
      }
      if (caller.has(Role.ANALYST)) {
        m.put("decision", decision);
        m.put("explanation", explainer.explain(d));
      } else {
        decision.keySet().removeAll(PERSONAL_TRACE);
        m.put("decision", decision);
        m.put("trace", "the trace inputs and explanation need a key with the role analyst");
      }
      return m;
    });
  }
}
