-- Outcomes of decisions: did the customer respond and buy, and for how much, in the window after the action.
-- One row per decision; a later outcome of the same decision replaces the earlier one. Control-group decisions get
-- outcomes too: the uplift of an action is the treated customers' outcome minus the control group's.
CREATE TABLE outcomes (
  decision_id        BIGINT        NOT NULL PRIMARY KEY,
  customer_id        VARCHAR(64)   NOT NULL,
  responded          BOOLEAN       NOT NULL,
  purchased          BOOLEAN       NOT NULL,
  revenue            DECIMAL(18,2) NOT NULL,
  window_days        INT,
  observed_at        TIMESTAMP(3),
  source_id          INT           NOT NULL,
  line_no            BIGINT        NOT NULL,
  updated_at         TIMESTAMP(3)  NOT NULL
);
