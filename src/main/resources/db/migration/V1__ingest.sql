-- Ingest and clean: sources, runs, transactions (one row per order line), customer facts, rejected records.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- Every file (or other source) ever ingested, by the SHA-256 of its content.
CREATE TABLE ingest_sources (
  source_id          INT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  fingerprint        VARCHAR(64)   NOT NULL,
  kind               VARCHAR(16)   NOT NULL,
  first_path         VARCHAR(1024) NOT NULL,
  first_seen         TIMESTAMP(3)  NOT NULL,
  CONSTRAINT uq_ingest_sources_fingerprint UNIQUE (fingerprint)
);

CREATE TABLE ingest_runs (
  run_id             VARCHAR(36)   NOT NULL PRIMARY KEY,
  kind               VARCHAR(16)   NOT NULL,
  source_id          INT           NOT NULL,
  source             VARCHAR(1024) NOT NULL,
  format             VARCHAR(32),
  status             VARCHAR(16)   NOT NULL,
  started_at         TIMESTAMP(3)  NOT NULL,
  finished_at        TIMESTAMP(3),
  rows_read          BIGINT,
  rows_accepted      BIGINT,
  rows_rejected      BIGINT,
  returns_count      BIGINT,
  outliers           BIGINT,
  customers          BIGINT,
  first_date         TIMESTAMP(3),
  last_date          TIMESTAMP(3),
  rows_per_second    DOUBLE,
  rejected_by_reason VARCHAR(4000),
  message            VARCHAR(4000)
);
CREATE INDEX ix_ingest_runs_source ON ingest_runs (source_id, status);

-- row_key: the minute of the order (high bits) and 37 bits of the MD5 of the line's content, so that keys of a
-- time-ordered file arrive nearly in order (fast appends) and the same line always gets the same key (idempotent).
-- row_check: 64 further bits of the MD5, to tell a repeated line from a key collision (which is moved to the next
-- free key). Derived columns (amount, is_return) are in the view transaction_lines, not stored: fewer values per row
-- keep ingest fast.
CREATE TABLE transactions (
  row_key            BIGINT        NOT NULL PRIMARY KEY,
  row_check          BIGINT        NOT NULL,
  customer_id        VARCHAR(64)   NOT NULL,
  order_id           VARCHAR(64),
  order_ts           TIMESTAMP(3)  NOT NULL,
  product_id         VARCHAR(64),
  description        VARCHAR(512),
  quantity           DECIMAL(18,4) NOT NULL,
  unit_price         DECIMAL(18,4) NOT NULL,
  currency           CHAR(3)       NOT NULL,
  country            VARCHAR(64),
  is_outlier         BOOLEAN       NOT NULL,
  source_id          INT           NOT NULL,
  line_no            BIGINT        NOT NULL
);

-- The order lines with their derived columns: amount (negative for returns) and is_return.
CREATE VIEW transaction_lines AS
SELECT row_key, customer_id, order_id, order_ts, product_id, description, quantity, unit_price,
       quantity * unit_price AS amount, currency, country, quantity < 0 AS is_return, is_outlier, source_id, line_no
FROM transactions;

CREATE TABLE customers (
  customer_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
  segment            VARCHAR(64),
  country            VARCHAR(64),
  marketing_consent  BOOLEAN,
  loyalty_member     BOOLEAN,
  signup_date        DATE,
  open_complaints    INT,
  fraud_flag         BOOLEAN,
  first_seen         TIMESTAMP(3),
  facts_source       VARCHAR(16),
  updated_at         TIMESTAMP(3)  NOT NULL
);

-- origin = source_id * 2^40 + line_no: one key per line of a source. The source's kind, path and runs are in
-- ingest_sources and ingest_runs.
CREATE TABLE rejected_records (
  origin             BIGINT        NOT NULL PRIMARY KEY,
  source_id          INT           NOT NULL,
  line_no            BIGINT        NOT NULL,
  reason_code        VARCHAR(32)   NOT NULL,
  column_name        VARCHAR(64),
  bad_value          VARCHAR(512),
  message            VARCHAR(1024) NOT NULL,
  original_text      MEDIUMTEXT    NOT NULL
);
