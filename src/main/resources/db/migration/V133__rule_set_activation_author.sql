-- Who activated a rule-set version and why, in their words: the workbench's Deploy records the key that deployed
-- (its roles and the first 8 hex digits of its hash, never the key) and the analyst's short message, so that
-- `valuetier rules history` and GET /api/v1/rules/versions show them. Empty for reloads, rollbacks from the CLI and
-- activations made before this column existed.
ALTER TABLE rule_set_activations ADD COLUMN author VARCHAR(200);
ALTER TABLE rule_set_activations ADD COLUMN message VARCHAR(500);
