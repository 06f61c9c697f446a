-- Prediction intervals (issue 15): each score keeps the interval of its predicted spend (the champion's split-conformal
-- bounds, nominal coverage in the model card, e.g. P10..P90), and each decision the interval it was made with, so that
-- the trace, the API and the report show how sure the prediction behind a tier was. Null: the model gives none (the
-- baselines, models trained before intervals, scores written before V111).
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.
ALTER TABLE scores ADD COLUMN predicted_spend_low DECIMAL(18,2);
ALTER TABLE scores ADD COLUMN predicted_spend_high DECIMAL(18,2);
ALTER TABLE decision_rows ADD COLUMN predicted_value_low DECIMAL(18,2);
ALTER TABLE decision_rows ADD COLUMN predicted_value_high DECIMAL(18,2);

DROP VIEW decisions;

CREATE VIEW decisions AS
  SELECT r.decision_id, r.run_id, r.customer_id, r.decided_at, o.rule_set, o.rule_set_role, o.model_id,
    o.model_version, o.value_tier, o.action_code, o.channel, o.offer, o.priority, o.offer_cost, o.service_level,
    r.predicted_value, r.control_group, o.proposed_action, o.guardrails, o.reasons, o.matched_rows, o.fired_rules,
    r.outcome_id, r.value_percentile, r.probability_active, r.cold_start, r.tenure_days, r.returns_ratio,
    r.marketing_consent, r.loyalty_member, r.open_complaints, r.fraud_flag, r.country, r.segment, r.recent_contacts,
    r.input_note, r.model_reason_1, r.model_reason_2, r.model_reason_3, r.products, r.predicted_value_low,
    r.predicted_value_high
  FROM decision_rows r JOIN decision_outcomes o ON o.outcome_id = r.outcome_id;
