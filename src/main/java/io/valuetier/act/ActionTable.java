package io.valuetier.act;

import io.valuetier.model.picks.ProductPick;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table destination's step: a batch (its records, or their JSON array) as parameter maps for the batched insert
 * into marketing_actions.
 */
public final class ActionTable {
  public List<Map<String, Object>> rows(Object body) throws Exception {
    List<ActionRecord> batch = ActionPublisher.records(body);
    Timestamp now = Timestamp.from(Instant.now());
    List<Map<String, Object>> rows = new ArrayList<>(batch.size());
    for (ActionRecord a : batch) {
      Map<String, Object> m = new HashMap<>();
      m.put("decision_id", a.decisionId());
      m.put("customer_id", a.customerId());
      m.put("tier", a.tier());
      m.put("action_code", a.action());
      m.put("channel", a.channel());
      m.put("offer", a.offer());
      m.put("priority", a.priority());
      m.put("predicted_value", a.predictedValue());
      m.put("reasons", a.reasons() != null && a.reasons().length() > 2000 ? a.reasons().substring(0, 2000) : a.reasons());
      m.put("rule_set_version", a.ruleSetVersion());
      m.put("model_version", a.modelVersion());
      m.put("decided_at", a.decidedAt() == null ? null : Timestamp.from(a.decidedAt()));
      m.put("published_at", now);
      m.put("control_group", a.controlGroup());
      m.put("model_reason_1", a.modelReason1());
      m.put("model_reason_2", a.modelReason2());
      m.put("model_reason_3", a.modelReason3());
      m.put("service_level", a.serviceLevel());
      String products = ProductPick.toJson(a.products());
      m.put("products", products != null && products.length() > 4000 ? null : products);
      rows.add(m);
    }
    return rows;
  }
}
