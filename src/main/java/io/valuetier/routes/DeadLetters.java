package io.valuetier.routes;

import io.valuetier.store.Redaction;
import io.valuetier.util.Json;
import java.io.InputStream;
import java.util.Map;
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
    String why = Redaction.text(
        cause == null ? "unknown failure" : cause.getMessage() == null ? cause.toString() : cause.getMessage());
    String message = "route " + where + ": " + why;
    exchange.getMessage().setHeader(HEADER_REASON, message);
    Object body = exchange.getMessage().getBody();
    if (body == null) {
      // A failure before any record was read (a trigger message has no body): keep the reason and the headers.
      exchange.getMessage().setBody(message + System.lineSeparator() + "headers: " + exchange.getMessage().getHeaders());
    } else if (!(body instanceof String || body instanceof byte[] || body instanceof InputStream)) {
      // Objects such as a slice of records are kept as their text (a slice's text is its original lines).
      exchange.getMessage().setBody(String.valueOf(body));
    }
    if (exchange.getProperty(FailureSink.RUN_PROPERTY) instanceof FailureSink run) {
      run.failed(message);
    }
    Object onFailure = exchange.getProperty(FailureSink.PROPERTY);
    if (onFailure instanceof FailureSink sink) {
      sink.failed(message);
    }
    LOG.error("dead letter from {}: {}", where, why);
  }

  /**
   * The answer to an HTTP caller whose request was dead-lettered: 503 with a JSON problem, so that the client knows
   * to retry (the request itself is kept in the dead-letter destination).
   */
  public void reply(Exchange exchange) {
    if (exchange.getMessage().getHeader(Exchange.HTTP_METHOD) == null) {
      return;
    }
    String why = exchange.getMessage().getHeader(HEADER_REASON, String.class);
    exchange.getMessage().removeHeaders("*", Exchange.HTTP_METHOD);
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
    exchange.getMessage().setBody(Json.write(Map.of(
        "title", "temporarily unavailable", "status", 503,
        "detail", why == null ? "the request could not be processed; it was kept, retry later" : why)));
  }
}
