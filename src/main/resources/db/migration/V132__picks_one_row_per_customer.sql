-- Product picks (issue 18), one row per customer instead of one per pick: the list, best first, as the JSON that
-- decision_rows.products and the published actions carry ([{"product_id", "description", "score", "reason",
-- "in_stock"}, ...]). A decision reads its customer's picks with one key lookup (five rows of product_picks were one
-- index lookup and five row lookups on H2, the largest read of POST /api/v1/decisions after the score), and a picks run
-- writes and replaces one row per customer instead of five. The picks of any customer without picks of their own are
-- stored under the empty customer id, as before.
-- Written once for both H2 (MODE=MySQL) and MySQL/MariaDB: keep to the syntax both accept.
CREATE TABLE customer_picks (
  customer_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
  pick_count         INT           NOT NULL,
  picks              MEDIUMTEXT    NOT NULL
);

DROP TABLE product_picks;
