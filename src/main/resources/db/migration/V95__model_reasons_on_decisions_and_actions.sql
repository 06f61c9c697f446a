-- Reasons at scale (issue #14): every stored decision and every published action carries the model's top three
-- reasons in words, as the scoring that the decision used gave them (scores.reason_1..3 hold them only for the latest
-- scoring). Three narrow columns beside the trace, null where the model gave fewer reasons.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB.
ALTER TABLE decisions ADD COLUMN model_reason_1 VARCHAR(255);
ALTER TABLE decisions ADD COLUMN model_reason_2 VARCHAR(255);
ALTER TABLE decisions ADD COLUMN model_reason_3 VARCHAR(255);

ALTER TABLE marketing_actions ADD COLUMN model_reason_1 VARCHAR(255);
ALTER TABLE marketing_actions ADD COLUMN model_reason_2 VARCHAR(255);
ALTER TABLE marketing_actions ADD COLUMN model_reason_3 VARCHAR(255);
