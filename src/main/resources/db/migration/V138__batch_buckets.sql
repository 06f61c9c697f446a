-- The distributed batch (valuetier run --workers, docs/scale-out.md): the coordinator's decision run is split into
-- buckets of customers (by a hash of the customer id); a worker decides a bucket and writes its decisions, the rows
-- below and the bucket's batch_buckets row in one store transaction, so a bucket is stored whole or not at all, and
-- the primary keys make a second copy of a bucket (two workers that both held it, one about to lose it) fail whole.
-- batch_buckets: the buckets done, by whom, with their counts (JSON) for the run's summary; the coordinator waits
-- until a run has all of them.
CREATE TABLE batch_buckets (
  run_id       BIGINT        NOT NULL,
  bucket       INT           NOT NULL,
  worker       VARCHAR(100)  NOT NULL,
  customers    INT           NOT NULL,
  costly       INT           NOT NULL,
  counts       MEDIUMTEXT    NOT NULL,
  done_at      TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (run_id, bucket)
);
-- batch_costly: the customers of a bucket whose action is a costly offer, held back for the coordinator's budget
-- stage (the budget goes by descending predicted value over the whole run, which no bucket knows), with the
-- sequence of their decision id in the run. A customer is held back at most once per run.
CREATE TABLE batch_costly (
  run_id       BIGINT        NOT NULL,
  customer_id  VARCHAR(64)   NOT NULL,
  bucket       INT           NOT NULL,
  sequence_no  INT           NOT NULL,
  PRIMARY KEY (run_id, customer_id)
);
