-- Distributed scoring (valuetier run --workers, docs/scale-out.md): before deciding, the workers score the run's
-- buckets of customers. A worker writes a bucket's scores (and their history panel) and the bucket's row below in one
-- store transaction: a bucket is scored whole or not at all, and a second copy fails whole on the primary key.
-- The row carries the bucket's counts for the scoring run's summary, and each customer's predicted spend at full
-- precision (ids: each a length-prefixed UTF-8 string; spends: 8-byte doubles, in the same order), from which the
-- workers rank every customer among the whole run (the value percentile) before deciding. Both are emptied when the
-- decision run finishes: customer ids are held here only while a run is under way.
CREATE TABLE batch_score_buckets (
  run_id          BIGINT        NOT NULL,
  bucket          INT           NOT NULL,
  worker          VARCHAR(100)  NOT NULL,
  customers       INT           NOT NULL,
  with_history    INT           NOT NULL,
  cold_start      INT           NOT NULL,
  history         INT           NOT NULL,
  predicted_total DOUBLE        NOT NULL,
  seconds         DOUBLE        NOT NULL,
  ids             MEDIUMBLOB,
  spends          MEDIUMBLOB,
  done_at         TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (run_id, bucket)
);
