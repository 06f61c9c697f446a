INSERT IGNORE INTO marketing_actions
  (decision_id, customer_id, tier, action_code, channel, offer, priority, predicted_value, reasons,
   rule_set_version, model_version, decided_at, published_at, control_group, model_reason_1, model_reason_2,
   model_reason_3, service_level, products)
VALUES
  (:#decision_id, :#customer_id, :#tier, :#action_code, :#channel, :#offer, :#priority, :#predicted_value,
   :#reasons, :#rule_set_version, :#model_version, :#decided_at, :#published_at, :#control_group, :#model_reason_1,
   :#model_reason_2, :#model_reason_3, :#service_level, :#products)
