-- score_history kept every customer of every scoring run: at a million customers a daily run added about 900,000
-- rows, 650 million over the 730 days kept, and monitoring counted them all (GROUP BY over the whole table) to find
-- the runs. Now a run keeps a seeded panel of its customers (valuetier.monitor.calibration.panel, the same
-- customers in every run) and scoring_runs says how many, so that the runs are found in this small table.
-- NULL: a run from before this column (the count below), 0: its history was deleted (replaced or past retention).
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.
ALTER TABLE scoring_runs ADD COLUMN history_customers INT NULL;
UPDATE scoring_runs SET history_customers =
  (SELECT COUNT(*) FROM score_history h WHERE h.run_id = scoring_runs.run_id);
