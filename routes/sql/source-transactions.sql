-- The order lines of the source database, named after valuetier's canonical layout.
-- Adapt the table and column names to the shop's schema; keep the aliases.
SELECT id          AS line_id,
       order_id    AS order_id,
       customer_id AS customer_id,
       ordered_at  AS order_date,
       sku         AS product_id,
       title       AS description,
       quantity    AS quantity,
       unit_price  AS unit_price,
       currency    AS currency,
       country     AS country
FROM shop_order_lines
ORDER BY id
