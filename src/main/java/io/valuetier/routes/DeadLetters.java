package io.valuetier.routes;

import io.valuetier.ingest.IngestRun;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter step: records why a message failed (on the run that carried it, in headers for the destination,
 * and in the log), so that a failure is never silent. The route then writes the original message to
 * {@code valuetier.deadletter.uri}.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /** Header with the failure, kept with the dead letter. */
  public static final String HEADER_REASON = "valuetierFailure";

  public void record(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String where = exchange.getFromRouteId();
    String why = cause == null ? "unknown failure" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String message = "route " + where + ": " + why;
    exchange.getMessage().setHeader(HEADER_REASON, message);
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    if (run != null) {
      run.fail(message);
    }
    Object onFailure = exchange.getProperty(FailureSink.PROPERTY);
    if (onFailure instanceof FailureSink sink) {
      sink.failed(message);
    }
    LOG.error("dead letter from {}: {}", where, why);
  }
}
