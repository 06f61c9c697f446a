-- Monitoring (issue #7): every prediction a scoring run made, kept after `scores` is replaced, so that once the
-- horizon has passed the predictions can be compared with what the customers really spent (calibration).
-- One row per customer with a purchase by the cutoff and per scoring run; a later run of the same model at the same
-- cutoff replaces the earlier one (re-running the main job on unchanged data does not pile up copies).
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB.
CREATE TABLE score_history (
  run_id             VARCHAR(36)   NOT NULL,
  customer_id        VARCHAR(64)   NOT NULL,
  model_id           VARCHAR(128)  NOT NULL,
  cutoff_date        DATE          NOT NULL,
  horizon_days       INT           NOT NULL,
  predicted_spend    DOUBLE        NOT NULL,
  probability_active DOUBLE        NOT NULL,
  PRIMARY KEY (run_id, customer_id)
);
CREATE INDEX ix_score_history_cutoff ON score_history (cutoff_date, model_id);
