-- Privacy (erasure of a customer on request) and contacts counted when delivered.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- A contact counts towards contact fatigue from the moment its action reached the destination (the publish route sets
-- delivered_at in the same transaction as the delivery log) or was answered to an online caller (set at decision
-- time). A decision of a run whose publishing failed keeps delivered_at NULL and is not counted. Rows written before
-- this version were counted at decision time and stay counted.
ALTER TABLE contact_log ADD COLUMN delivered_at TIMESTAMP(3) NULL;
UPDATE contact_log SET delivered_at = contacted_at;
CREATE INDEX ix_contact_log_delivered ON contact_log (delivered_at, customer_id);
CREATE INDEX ix_contact_log_customer_delivered ON contact_log (customer_id, delivered_at);

-- Customers erased on request (`valuetier customers forget`): the salted SHA-256 of the customer id, never the id
-- itself, so that a later ingest of their rows is rejected with reason ERASED without keeping who they were.
CREATE TABLE erased_customers (
  id_hash            VARCHAR(64)   NOT NULL PRIMARY KEY,
  erased_at          TIMESTAMP(3)  NOT NULL
);

-- The salt of those hashes: random, made once per store on first use (one row, salt_id = 1).
CREATE TABLE erasure_salt (
  salt_id            INT           NOT NULL PRIMARY KEY,
  salt               VARCHAR(64)   NOT NULL
);

-- Erasure finds a customer's rows by customer id in these tables too.
CREATE INDEX ix_marketing_actions_customer ON marketing_actions (customer_id);
CREATE INDEX ix_outcomes_customer ON outcomes (customer_id);
CREATE INDEX ix_score_history_customer ON score_history (customer_id);
