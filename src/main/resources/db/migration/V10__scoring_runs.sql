-- Scoring (the ML plug-in): machine-readable reasons beside the worded ones, and a log of scoring runs.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB.

-- The features behind reason_1..3 with their TreeSHAP push, e.g. "recency_days:-0.412;frequency:+0.233;...".
ALTER TABLE scores ADD COLUMN reason_codes VARCHAR(255);

-- One row per `valuetier predict`: which model scored how many customers at which cutoff, on which data.
CREATE TABLE scoring_runs (
  run_id             VARCHAR(36)   NOT NULL PRIMARY KEY,
  model_id           VARCHAR(128)  NOT NULL,
  model_version      VARCHAR(64)   NOT NULL,
  cutoff_date        DATE          NOT NULL,
  horizon_days       INT           NOT NULL,
  started_at         TIMESTAMP(3)  NOT NULL,
  finished_at        TIMESTAMP(3)  NOT NULL,
  customers_scored   INT           NOT NULL,
  cold_start         INT           NOT NULL,
  data_fingerprint   VARCHAR(128)  NOT NULL,
  seconds            DOUBLE        NOT NULL
);
