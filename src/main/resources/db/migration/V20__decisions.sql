-- Decisions and their trace, the contact log, and the versions of the analysts' rule sets.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- One row per decision run (a batch `decide`, or one online service lifetime).
CREATE TABLE decision_runs (
  run_id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind                 VARCHAR(16)   NOT NULL,
  rule_set             VARCHAR(64)   NOT NULL,
  started_at           TIMESTAMP(3)  NOT NULL,
  finished_at          TIMESTAMP(3),
  decisions            BIGINT,
  failed               BIGINT,
  decisions_per_second DOUBLE,
  summary              VARCHAR(8000)
);

-- One row per decision: the outputs marketing acts on and the compact trace that explains them.
-- decision_id = run_id * 2^32 + sequence within the run. rule_set is the content hash of the rule files that decided
-- (champion or challenger). matched_rows names the selected DMN rows (decision#row), whose reasons are in the stored
-- rule-set version; fired_rules and inputs are JSON. control_group is reserved for hold-out groups. Retention deletes
-- by decision_id ranges (whole runs), so no index on decided_at is needed.
CREATE TABLE decisions (
  decision_id          BIGINT        NOT NULL PRIMARY KEY,
  run_id               BIGINT        NOT NULL,
  customer_id          VARCHAR(64)   NOT NULL,
  decided_at           TIMESTAMP(3)  NOT NULL,
  rule_set             VARCHAR(64)   NOT NULL,
  model_id             VARCHAR(128),
  model_version        VARCHAR(64),
  value_tier           VARCHAR(32),
  action_code          VARCHAR(64),
  channel              VARCHAR(16),
  offer                VARCHAR(255),
  priority             INT,
  offer_cost           DECIMAL(12,2),
  service_level        VARCHAR(32),
  predicted_value      DECIMAL(18,2),
  control_group        BOOLEAN       NOT NULL,
  proposed_action      VARCHAR(64),
  guardrails           VARCHAR(255),
  reasons              VARCHAR(4000),
  matched_rows         VARCHAR(512),
  fired_rules          VARCHAR(4000),
  inputs               VARCHAR(4000)
);
CREATE INDEX ix_decisions_customer ON decisions (customer_id);

-- Every marketing contact a recorded decision makes; contact fatigue counts these within its window.
CREATE TABLE contact_log (
  decision_id          BIGINT        NOT NULL PRIMARY KEY,
  customer_id          VARCHAR(64)   NOT NULL,
  action_code          VARCHAR(64)   NOT NULL,
  channel              VARCHAR(16)   NOT NULL,
  contacted_at         TIMESTAMP(3)  NOT NULL
);
CREATE INDEX ix_contact_log_customer ON contact_log (customer_id, contacted_at);

-- Every rule-set version ever validated, by content hash, with all its files (JSON: path -> content) so that a
-- rollback works after the files changed.
CREATE TABLE rule_set_versions (
  version_id           VARCHAR(64)   NOT NULL PRIMARY KEY,
  created_at           TIMESTAMP(3)  NOT NULL,
  files                MEDIUMTEXT    NOT NULL,
  summary              VARCHAR(4000)
);

-- When which version became active and why (INITIAL, RELOAD, ROLLBACK); the latest row is the active version.
CREATE TABLE rule_set_activations (
  activation_id        BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  version_id           VARCHAR(64)   NOT NULL,
  activated_at         TIMESTAMP(3)  NOT NULL,
  reason               VARCHAR(16)   NOT NULL,
  note                 VARCHAR(1000)
);
