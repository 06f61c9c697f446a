package io.valuetier.records;

/** A source cannot be ingested at all (unreadable file, wrong layout); single bad records are rejections instead. */
public final class IngestException extends RuntimeException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
