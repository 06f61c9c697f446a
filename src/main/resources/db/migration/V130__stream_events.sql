-- The Kafka events a worker (valuetier worker) has decided for, by where they were read (topic/partition/offset), with
-- the decision and the action produced for it. Written in the store transaction that writes the decision, so that an
-- event redelivered after a worker died (its Kafka transaction aborted) finds its decision and produces the same
-- action again instead of being decided twice. The primary key makes a second decision of the same event fail: of two
-- workers that both took an event (one of them about to be fenced), only one decision is stored.
CREATE TABLE stream_events (
  event_key          VARCHAR(300)  NOT NULL PRIMARY KEY,
  customer_id        VARCHAR(64)   NOT NULL,
  decision_id        BIGINT        NOT NULL,
  action_json        MEDIUMTEXT    NOT NULL,
  processed_at       TIMESTAMP(3)  NOT NULL
);
CREATE INDEX stream_events_customer ON stream_events (customer_id);
