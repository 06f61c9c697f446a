-- Predictions: the latest score of every customer, written by `valuetier predict` (or `run`) and read by the
-- decision stage. One row per customer; a new scoring replaces it. The reasons are the three features that push the
-- prediction most (TreeSHAP), phrased for a marketer.
CREATE TABLE scores (
  customer_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
  model_id           VARCHAR(128)  NOT NULL,
  model_version      VARCHAR(64)   NOT NULL,
  scored_at          TIMESTAMP(3)  NOT NULL,
  cutoff_date        DATE          NOT NULL,
  horizon_days       INT           NOT NULL,
  predicted_spend    DECIMAL(18,2) NOT NULL,
  probability_active DOUBLE        NOT NULL,
  value_percentile   DOUBLE        NOT NULL,
  cold_start         BOOLEAN       NOT NULL,
  tenure_days        INT           NOT NULL,
  returns_ratio      DOUBLE        NOT NULL,
  reason_1           VARCHAR(255),
  reason_2           VARCHAR(255),
  reason_3           VARCHAR(255)
);
