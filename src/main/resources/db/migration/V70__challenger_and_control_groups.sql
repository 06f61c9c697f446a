-- Champion/challenger rule sets and control groups in the decide stage.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- Which rule set decided: 'champion' (the active rule set) or 'challenger' (valuetier.decide.challenger.*);
-- rule_set keeps the version (content hash) of that rule set. Rows written before V70 were all decided by the champion.
ALTER TABLE decisions ADD COLUMN rule_set_role VARCHAR(16) DEFAULT 'champion' NOT NULL;

-- Customers held out of an action as its control group are published too (so that marketing and the store count
-- the same customers), flagged here; they carry the action code but no channel and no offer: do not contact them.
ALTER TABLE marketing_actions ADD COLUMN control_group BOOLEAN DEFAULT FALSE NOT NULL;
