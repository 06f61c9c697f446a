-- Product picks (issue 18): the product catalogue, each customer's recommended products, and the products and service
-- level carried by decisions and by the actions table marketing reads.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- The product catalogue, from a catalogue file (route ingest-products-file). in_stock is null when the file has no
-- such column; a product sold but missing here is described from its order lines.
CREATE TABLE products (
  product_id         VARCHAR(64)   NOT NULL PRIMARY KEY,
  description        VARCHAR(512),
  unit_price         DECIMAL(18,4),
  in_stock           BOOLEAN,
  updated_at         TIMESTAMP(3)  NOT NULL
);

-- Each customer's picks of the latest recommender run, best first (pick_rank 1..N). Replaced by every run.
CREATE TABLE product_picks (
  customer_id        VARCHAR(64)   NOT NULL,
  pick_rank          INT           NOT NULL,
  product_id         VARCHAR(64)   NOT NULL,
  description        VARCHAR(512),
  score              DOUBLE        NOT NULL,
  reason             VARCHAR(700)  NOT NULL,
  in_stock           BOOLEAN,
  PRIMARY KEY (customer_id, pick_rank)
);

-- The products an action carries, as JSON: [{"product_id", "description", "score", "reason", "in_stock"}, ...]; null:
-- none. Per decision (a customer's own picks), so on decision_rows, not on the shared decision_outcomes; the view
-- decisions gains the column. MEDIUMTEXT: no 4000-character cut, and outside MariaDB's 65,535-byte row limit.
ALTER TABLE decision_rows ADD COLUMN products MEDIUMTEXT;

DROP VIEW decisions;

CREATE VIEW decisions AS
  SELECT r.decision_id, r.run_id, r.customer_id, r.decided_at, o.rule_set, o.rule_set_role, o.model_id,
    o.model_version, o.value_tier, o.action_code, o.channel, o.offer, o.priority, o.offer_cost, o.service_level,
    r.predicted_value, r.control_group, o.proposed_action, o.guardrails, o.reasons, o.matched_rows, o.fired_rules,
    r.outcome_id, r.value_percentile, r.probability_active, r.cold_start, r.tenure_days, r.returns_ratio,
    r.marketing_consent, r.loyalty_member, r.open_complaints, r.fraud_flag, r.country, r.segment, r.recent_contacts,
    r.input_note, r.model_reason_1, r.model_reason_2, r.model_reason_3, r.products
  FROM decision_rows r JOIN decision_outcomes o ON o.outcome_id = r.outcome_id;

ALTER TABLE marketing_actions ADD COLUMN service_level VARCHAR(32);
ALTER TABLE marketing_actions ADD COLUMN products MEDIUMTEXT;
