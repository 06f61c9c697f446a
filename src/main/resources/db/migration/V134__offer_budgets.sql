-- Offer budgets shared by the processes that decide for one shop (the Kafka workers of a group): a row per budget,
-- created once with its total from valuetier.decide.offer-budget, drawn with a conditional
-- UPDATE ... SET remaining = remaining - cost WHERE budget_id = ? AND remaining >= cost in the store transaction that
-- records the decision (and the event it answers), so that N workers never grant more than the budget between them
-- and an aborted or redelivered event never spends it twice.
CREATE TABLE offer_budgets (
  budget_id   VARCHAR(100)   NOT NULL PRIMARY KEY,
  total       DECIMAL(19,4)  NOT NULL,
  remaining   DECIMAL(19,4)  NOT NULL,
  created_at  TIMESTAMP(3)   NOT NULL
);
