package io.valuetier.records;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * The accounting of one ingest run, as printed and stored: {@code read == accepted + rejected}.
 *
 * @param customers distinct customers among this run's accepted lines
 * @param store row counts held in the store after the run
 */
public record IngestReport(
    @JsonProperty("run_id") String runId,
    String kind,
    String source,
    String format,
    String status,
    long read,
    long accepted,
    long rejected,
    @JsonProperty("rejected_by_reason") Map<String, Long> rejectedByReason,
    long returns,
    long outliers,
    long customers,
    @JsonProperty("first_date") LocalDateTime firstDate,
    @JsonProperty("last_date") LocalDateTime lastDate,
    double seconds,
    @JsonProperty("rows_per_second") double rowsPerSecond,
    Totals store,
    String failure) {

  public boolean failed() {
    return !"COMPLETED".equals(status) && !"UNCHANGED".equals(status);
  }

  /** Row counts of the main tables. */
  public record Totals(long transactions, long customers, long rejected) {}
}
