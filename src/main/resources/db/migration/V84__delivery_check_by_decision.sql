-- The delivery check of a publish batch asks for its decision ids (decision_id IN (...)) at one destination. An index
-- takes an IN list only on its first column, so under the primary key (destination, decision_id) H2 read every
-- delivery of the destination for every batch, a cost that grew with the table. Keyed by decision id first, a batch
-- costs one lookup per id; erasure's delete by decision id uses it too.
CREATE INDEX ix_action_deliveries_decision ON action_deliveries (decision_id, destination);

-- What a publish delivered (counted before and after it, by destination and run) is found by key, not by a scan.
CREATE INDEX ix_action_deliveries_run ON action_deliveries (run_id, destination);
