-- The delivery log had a primary key (destination, decision_id) and, since V84, an index (decision_id, destination)
-- for the delivery check, which asks by decision id first: two copies of the same key, each kept up to date on
-- every delivered action (on H2 a third of the publish stage was these inserts). Keyed by decision id first, the
-- primary key answers the check, the duplicate check of INSERT IGNORE and erasure's delete by decision id.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.
ALTER TABLE action_deliveries DROP INDEX ix_action_deliveries_decision;
ALTER TABLE action_deliveries DROP PRIMARY KEY;
ALTER TABLE action_deliveries ADD PRIMARY KEY (decision_id, destination);
