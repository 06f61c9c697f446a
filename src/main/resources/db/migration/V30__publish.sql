-- Publishing: which decisions were delivered to which destination, so that a re-run delivers each decision once.
CREATE TABLE action_deliveries (
  destination        VARCHAR(255)  NOT NULL,
  decision_id        VARCHAR(64)   NOT NULL,
  run_id             VARCHAR(36)   NOT NULL,
  delivered_at       TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (destination, decision_id)
);

-- The actions table marketing reads when the MySQL table destination is chosen (direct:write-action-table).
CREATE TABLE marketing_actions (
  decision_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
  customer_id        VARCHAR(64)   NOT NULL,
  tier               VARCHAR(64)   NOT NULL,
  action_code        VARCHAR(64)   NOT NULL,
  channel            VARCHAR(64),
  offer              VARCHAR(255),
  priority           INT,
  predicted_value    DECIMAL(18,2),
  reasons            VARCHAR(2000),
  rule_set_version   VARCHAR(64),
  model_version      VARCHAR(128),
  decided_at         TIMESTAMP(3),
  published_at       TIMESTAMP(3)  NOT NULL
);
