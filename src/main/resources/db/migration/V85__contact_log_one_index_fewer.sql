-- Contacts count from the moment they are delivered (V80): every query on contact_log now reads delivered_at, through
-- (customer_id, delivered_at) or (delivered_at, customer_id), and erasure's delete by customer uses the first. The
-- index on (customer_id, contacted_at) was read by nothing and cost a B-tree update for every logged contact, on the
-- decision API's path too.
ALTER TABLE contact_log DROP INDEX ix_contact_log_customer;
