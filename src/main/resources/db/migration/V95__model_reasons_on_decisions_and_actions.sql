-- Reasons at scale (issue #14): every stored decision and every published action carries the model's top three
-- reasons in words, as the scoring that the decision used gave them (scores.reason_1..3 hold them only for the latest
-- scoring). They differ from customer to customer, so they are three narrow columns of the decision's row (not of its
-- shared outcome), null where the model gave fewer; the view `decisions` shows them with the rest of the trace.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB.
ALTER TABLE decision_rows ADD COLUMN model_reason_1 VARCHAR(255);
ALTER TABLE decision_rows ADD COLUMN model_reason_2 VARCHAR(255);
ALTER TABLE decision_rows ADD COLUMN model_reason_3 VARCHAR(255);

DROP VIEW decisions;

CREATE VIEW decisions AS
  SELECT r.decision_id, r.run_id, r.customer_id, r.decided_at, o.rule_set, o.rule_set_role, o.model_id,
    o.model_version, o.value_tier, o.action_code, o.channel, o.offer, o.priority, o.offer_cost, o.service_level,
    r.predicted_value, r.control_group, o.proposed_action, o.guardrails, o.reasons, o.matched_rows, o.fired_rules,
    r.outcome_id, r.value_percentile, r.probability_active, r.cold_start, r.tenure_days, r.returns_ratio,
    r.marketing_consent, r.loyalty_member, r.open_complaints, r.fraud_flag, r.country, r.segment, r.recent_contacts,
    r.input_note, r.model_reason_1, r.model_reason_2, r.model_reason_3
  FROM decision_rows r JOIN decision_outcomes o ON o.outcome_id = r.outcome_id;

ALTER TABLE marketing_actions ADD COLUMN model_reason_1 VARCHAR(255);
ALTER TABLE marketing_actions ADD COLUMN model_reason_2 VARCHAR(255);
ALTER TABLE marketing_actions ADD COLUMN model_reason_3 VARCHAR(255);
