-- Product picks (issue 18): the product catalogue, each customer's recommended products, and the products and service
-- level carried by decisions and by the actions table marketing reads.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.

-- The product catalogue, from a catalogue file (route ingest-products-file). in_stock is null when the file has no
-- such column; a product sold but missing here is described from its order lines.
CREATE TABLE products (
  product_id         VARCHAR(64)   NOT NULL PRIMARY KEY,
  description        VARCHAR(512),
  unit_price         DECIMAL(18,4),
  in_stock           BOOLEAN,
  updated_at         TIMESTAMP(3)  NOT NULL
);

-- Each customer's picks of the latest recommender run, best first (pick_rank 1..N). Replaced by every run.
CREATE TABLE product_picks (
  customer_id        VARCHAR(64)   NOT NULL,
  pick_rank          INT           NOT NULL,
  product_id         VARCHAR(64)   NOT NULL,
  description        VARCHAR(512),
  score              DOUBLE        NOT NULL,
  reason             VARCHAR(700)  NOT NULL,
  in_stock           BOOLEAN,
  PRIMARY KEY (customer_id, pick_rank)
);

-- The products an action carries, as JSON: [{"product_id", "description", "score", "reason", "in_stock"}, ...]; null:
-- none. MEDIUMTEXT: another VARCHAR(4000) would pass the 65,535-byte row limit of MariaDB on decisions.
ALTER TABLE decisions ADD COLUMN products MEDIUMTEXT;

ALTER TABLE marketing_actions ADD COLUMN service_level VARCHAR(32);
ALTER TABLE marketing_actions ADD COLUMN products MEDIUMTEXT;
