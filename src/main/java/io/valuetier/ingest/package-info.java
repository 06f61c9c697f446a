/**
 * Ingest: reading transactions and customer facts from files, a JDBC table and HTTP events, driven by the Camel
 * routes in {@code routes/}.
 */
package io.valuetier.ingest;
