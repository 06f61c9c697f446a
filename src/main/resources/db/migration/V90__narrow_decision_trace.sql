-- A decision trace built for volume: a million decisions a night repeat a few hundred distinct outcomes (tier, action,
-- offer, service level, matched DMN rows, guardrails and their reasons), so each distinct outcome is stored once in
-- decision_outcomes and every decision is a narrow row that references it, with its inputs in typed columns instead
-- of a JSON text. The view `decisions` joins them back under the columns the trace always had, so that reports,
-- monitoring and outcome analysis read it as before.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- outcome_id: 63 bits of the SHA-256 of the outcome's fields (>= 0) for outcomes written from V90 on; a decision
-- written before V90 keeps its own outcome, numbered -decision_id.
CREATE TABLE decision_outcomes (
  outcome_id       BIGINT        NOT NULL PRIMARY KEY,
  rule_set         VARCHAR(64)   NOT NULL,
  rule_set_role    VARCHAR(16)   NOT NULL,
  model_id         VARCHAR(128),
  model_version    VARCHAR(64),
  value_tier       VARCHAR(32),
  action_code      VARCHAR(64),
  channel          VARCHAR(16),
  offer            VARCHAR(255),
  priority         INT,
  offer_cost       DECIMAL(12,2),
  service_level    VARCHAR(32),
  proposed_action  VARCHAR(64),
  guardrails       VARCHAR(255),
  reasons          VARCHAR(4000),
  matched_rows     VARCHAR(512),
  fired_rules      VARCHAR(4000)
);

-- One row per decision. The inputs as the DMN saw them (predicted_value is its Predicted Spend; Model Version is the
-- outcome's); input_note holds anything else recorded with the inputs, as a JSON object (where supplied facts came
-- from; for a decision written before V90, all of its inputs).
CREATE TABLE decision_rows (
  decision_id        BIGINT        NOT NULL PRIMARY KEY,
  run_id             BIGINT        NOT NULL,
  customer_id        VARCHAR(64)   NOT NULL,
  decided_at         TIMESTAMP(3)  NOT NULL,
  outcome_id         BIGINT        NOT NULL,
  predicted_value    DECIMAL(18,2),
  control_group      BOOLEAN       NOT NULL,
  value_percentile   DOUBLE,
  probability_active DOUBLE,
  cold_start         BOOLEAN,
  tenure_days        DOUBLE,
  returns_ratio      DOUBLE,
  marketing_consent  BOOLEAN,
  loyalty_member     BOOLEAN,
  open_complaints    DOUBLE,
  fraud_flag         BOOLEAN,
  country            VARCHAR(64),
  segment            VARCHAR(64),
  recent_contacts    INT,
  input_note         VARCHAR(4000)
);

INSERT INTO decision_outcomes (outcome_id, rule_set, rule_set_role, model_id, model_version, value_tier, action_code,
    channel, offer, priority, offer_cost, service_level, proposed_action, guardrails, reasons, matched_rows, fired_rules)
  SELECT -decision_id, rule_set, rule_set_role, model_id, model_version, value_tier, action_code, channel, offer,
    priority, offer_cost, service_level, proposed_action, guardrails, reasons, matched_rows, fired_rules
  FROM decisions;

INSERT INTO decision_rows (decision_id, run_id, customer_id, decided_at, outcome_id, predicted_value, control_group,
    input_note)
  SELECT decision_id, run_id, customer_id, decided_at, -decision_id, predicted_value, control_group, inputs
  FROM decisions;

DROP TABLE decisions;

CREATE INDEX ix_decision_rows_customer ON decision_rows (customer_id);

CREATE VIEW decisions AS
  SELECT r.decision_id, r.run_id, r.customer_id, r.decided_at, o.rule_set, o.rule_set_role, o.model_id,
    o.model_version, o.value_tier, o.action_code, o.channel, o.offer, o.priority, o.offer_cost, o.service_level,
    r.predicted_value, r.control_group, o.proposed_action, o.guardrails, o.reasons, o.matched_rows, o.fired_rules,
    r.outcome_id, r.value_percentile, r.probability_active, r.cold_start, r.tenure_days, r.returns_ratio,
    r.marketing_consent, r.loyalty_member, r.open_complaints, r.fraud_flag, r.country, r.segment, r.recent_contacts,
    r.input_note
  FROM decision_rows r JOIN decision_outcomes o ON o.outcome_id = r.outcome_id;
