/**
 * The plain records every stage shares, at the bottom of the layering: a transaction as read (draft) and as cleaned,
 * customer facts, a rejection and its reason, and the accounting of an ingest run. They depend on nothing of valuetier
 * but {@code util}, so that the store and every stage can use them without depending on each other.
 */
package io.valuetier.records;
