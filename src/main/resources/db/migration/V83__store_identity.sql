-- The identity of this database: one row, created by the application on first use (a random UUID; the SQL that makes
-- one differs between H2 and MariaDB). Outputs written outside the database (action folders, the champion of the
-- model registry) are keyed by it, so that two databases never share them.
CREATE TABLE store_identity (
  singleton          INT           NOT NULL PRIMARY KEY,
  store_id           VARCHAR(36)   NOT NULL,
  created_at         TIMESTAMP(3)  NOT NULL
);
