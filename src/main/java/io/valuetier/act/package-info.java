/**
 * Act: publishing the recommended marketing actions through the Camel route {@code publish-actions} to files, an
 * HTTP webhook, a MySQL table or a message broker, idempotently by decision id.
 */
package io.valuetier.act;
