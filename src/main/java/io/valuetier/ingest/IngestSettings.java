package io.valuetier.ingest;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;

/**
 * The {@code valuetier.ingest.*} settings, checked when read: a bad value stops the run with the key, the value and
 * where it came from. {@link #toString} leaves the source database's password out.
 *
 * @param chunkSize records per slice written in one batch
 * @param maxRecordLines a quoted field may span at most this many lines
 * @param maxRecordBytes a longer record is rejected as RECORD_TOO_LONG
 * @param transactionsFrom the trigger endpoint of the transaction file route
 * @param customersFrom the trigger endpoint of the customer file route
 * @param outcomesFrom the trigger endpoint of the outcome file route
 * @param jdbcFrom the trigger endpoint of the source database route
 * @param jdbcUrl the source database, or null when none is configured
 * @param jdbcUser its user, or null
 * @param jdbcPassword its password, or null
 */
public record IngestSettings(
    int chunkSize,
    int maxRecordLines,
    int maxRecordBytes,
    String transactionsFrom,
    String customersFrom,
    String outcomesFrom,
    String jdbcFrom,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword) {

  /** Reads and checks the settings. */
  public static IngestSettings from(Settings s) {
    return new IngestSettings(
        s.intValue("valuetier.ingest.chunk-size", 100, 1_000_000),
        s.intValue("valuetier.ingest.max-record-lines", 1, 10_000),
        s.intValue("valuetier.ingest.max-record-bytes", 4096, 64 << 20),
        s.require("valuetier.ingest.transactions.from"),
        s.require("valuetier.ingest.customers.from"),
        s.require("valuetier.ingest.outcomes.from"),
        s.require("valuetier.ingest.jdbc.from"),
        s.get("valuetier.ingest.jdbc.url", null),
        s.get("valuetier.ingest.jdbc.user", null),
        s.get("valuetier.ingest.jdbc.password", null));
  }

  @Override
  public String toString() {
    return "IngestSettings[chunkSize=" + chunkSize + ", maxRecordLines=" + maxRecordLines + ", maxRecordBytes="
        + maxRecordBytes + ", transactionsFrom=" + transactionsFrom + ", customersFrom=" + customersFrom
        + ", outcomesFrom=" + outcomesFrom + ", jdbcFrom=" + jdbcFrom + ", jdbcUrl="
        + (jdbcUrl == null ? null : Store.redact(jdbcUrl)) + ", jdbcUser=" + jdbcUser + "]";
  }
}
