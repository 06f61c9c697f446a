package io.valuetier.ingest;

import io.valuetier.records.IngestReport;
import io.valuetier.records.RejectReason;
import io.valuetier.routes.FailureSink;
import io.valuetier.store.CustomerStore.SeenCustomer;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state and accounting of one ingest run, carried through the Camel route as an exchange property. The invariant
 * {@code read == accepted + rejected} holds after every chunk.
 */
public final class IngestRun implements FailureSink {
  /** Exchange property that carries the run. */
  public static final String PROPERTY = FailureSink.RUN_PROPERTY;

  private final String runId = UUID.randomUUID().toString();
  private final String kind;
  private final String source;
  private final String fingerprint;
  private final int sourceId;
  private final String format;
  private final long startNanos = System.nanoTime();
  private final SourceFile file;
  long read;
  long accepted;
  long rejected;
  long returns;
  long outliers;
  final EnumMap<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
  Map<String, SeenCustomer> customers = new HashMap<>();
  /** Distinct customers of a released run ({@link #release()}), -1 before. */
  private int customersSeen = -1;
  LocalDateTime first;
  LocalDateTime last;
  private volatile String failure;
  private final Map<String, Object> attachments = new HashMap<>();

  IngestRun(String kind, String source, String fingerprint, int sourceId, String format, SourceFile file) {
    this.sourceId = sourceId;
    this.kind = kind;
    this.source = source;
    this.fingerprint = fingerprint;
    this.format = format;
    this.file = file;
  }

  public String runId() {
    return runId;
  }

  public String kind() {
    return kind;
  }

  public String source() {
    return source;
  }

  public String fingerprint() {
    return fingerprint;
  }

  /** The store's id of the source (by content fingerprint). */
  public int sourceId() {
    return sourceId;
  }

  public String format() {
    return format;
  }

  /** Keeps per-run state of a step (such as the bound layout and its cleaner). */
  public void attach(String key, Object value) {
    attachments.put(key, value);
  }

  public <V> V attached(String key, Class<V> type) {
    return type.cast(attachments.get(key));
  }

  public synchronized long read() {
    return read;
  }

  /** Fraction of the source consumed, 0..1, or -1 when unknown (not a file). */
  public double progress() {
    if (file == null || file.size() == 0) {
      return -1;
    }
    return Math.min(1.0, (double) file.consumed() / file.size());
  }

  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Marks the run failed; the route goes on to dead-letter what could not be stored. */
  public void fail(String message) {
    if (failure == null) {
      failure = message;
    }
  }

  /** A dead letter of this run's route fails the run (the first failure is kept). */
  @Override
  public void failed(String message) {
    fail(message);
  }

  public String failure() {
    return failure;
  }

  synchronized void count(RejectReason reason) {
    read++;
    rejected++;
    byReason.merge(reason, 1L, Long::sum);
  }

  /** Moves a record counted as accepted to the rejected (a check that needed the store, after cleaning). */
  synchronized void reclassify(RejectReason reason) {
    accepted--;
    rejected++;
    byReason.merge(reason, 1L, Long::sum);
  }

  synchronized void countAccepted(boolean isReturn, boolean outlier) {
    read++;
    accepted++;
    if (isReturn) {
      returns++;
    }
    if (outlier) {
      outliers++;
    }
  }

  void seen(String customerId, String country, LocalDateTime ts) {
    SeenCustomer c = customers.get(customerId);
    if (c == null || ts.isBefore(c.firstSeen())) {
      customers.put(customerId, new SeenCustomer(c == null || c.country() == null ? country : c.country(), ts));
    }
    if (first == null || ts.isBefore(first)) {
      first = ts;
    }
    if (last == null || ts.isAfter(last)) {
      last = ts;
    }
  }

  /**
   * Lets go of what only the running ingest needs once the run is closed: the customers it saw (already stored) and
   * the cleaner's state, among it the key set of every line of the file. The service keeps the last run for progress
   * and status; without this, a 10M-line file's key set (536 MB) and customers (about 300 MB at 1M customers) stayed
   * on the heap through every later stage of the main job.
   */
  synchronized void release() {
    customersSeen = customers.size();
    customers = new HashMap<>();
    attachments.clear();
  }

  /** The accounting so far. */
  public synchronized IngestReport report(String status, IngestReport.Totals totals) {
    double secs = seconds();
    Map<String, Long> reasons = new TreeMap<>();
    byReason.forEach((k, v) -> reasons.put(k.name(), v));
    return new IngestReport(
        runId, kind, source, format, status, read, accepted, rejected, reasons, returns, outliers,
        customersSeen >= 0 ? customersSeen : customers.size(),
        first, last, secs, secs > 0 ? read / secs : 0, totals, failure);
  }
}
