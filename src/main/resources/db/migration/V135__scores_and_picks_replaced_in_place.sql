-- Which run wrote a row of scores and of customer_picks: a scoring or picks run replaces each customer's row in place
-- and then deletes the rows it did not write (a customer no longer in the store, or with nothing left to offer),
-- told apart by this column. Deleting every row first and inserting them all again in one transaction took two to
-- three times as long on H2 as writing into an empty table (the daily scoring path at 300,000 customers: scores 18.4 s
-- against 8.4 s, picks 13.2 s against 4.9 s). A time cannot tell the runs apart: MariaDB keeps the times that
-- Connector/J sends to the second only.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.
ALTER TABLE scores ADD COLUMN run_id VARCHAR(36) NULL;
ALTER TABLE customer_picks ADD COLUMN run_id VARCHAR(36) NULL;
