-- One customer's order lines by customer and time: the real-time paths read them per customer (a Kafka worker for each
-- event, POST /api/v1/decisions with transactions for a known customer), and without this index every such read was a
-- scan of the whole table (measured: a worker on the sample's 400,000 lines decided about 6 events per second, its
-- time in StoredCustomer.transactions). Bulk ingest pays one more secondary index, filled in customer order.
CREATE INDEX transactions_customer_ts ON transactions (customer_id, order_ts);
