package io.valuetier.api;

import io.valuetier.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * An error answer in the RFC 9457 "problem details" form ({@code application/problem+json}): a type URI
 * ({@code urn:valuetier:problem:<kind>}), a title, a status, a detail in words that says what the client can fix and,
 * for invalid input, the field that is wrong. The detail is our own text, never a library's exception message, and is
 * cut to {@value #MAX_DETAIL} characters; a value quoted in it is cut to {@value #MAX_QUOTE}. Server-side failures
 * carry a correlation id (also in the {@value #CORRELATION_HEADER} header) under which the log holds the detail.
 */
public final class Problem extends RuntimeException {
  /** The response header (and body member) that carries the correlation id of a server-side failure. */
  public static final String CORRELATION_HEADER = "X-Correlation-Id";

  static final int MAX_DETAIL = 400;
  static final int MAX_QUOTE = 64;

  private final int status;
  private final String kind;
  private final String title;
  private final String field;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String correlationId;

  public Problem(int status, String kind, String title, String detail, String field) {
    super(detail == null ? null : cut(detail, MAX_DETAIL), null, false, false);
    this.status = status;
    this.kind = kind;
    this.title = title;
    this.field = field;
  }

  public static Problem badRequest(String field, String detail) {
    return new Problem(400, "invalid-request", "invalid request", detail, field);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "not found", detail, null);
  }

  /** 401: no key, or a key the server does not know. The detail says how to send one, nothing about keys held. */
  public static Problem unauthorized() {
    Problem p = new Problem(401, "unauthorized", "unauthorized",
        "send an API key in the header Authorization: Bearer <key>", null);
    p.headers.put("WWW-Authenticate", "Bearer realm=\"valuetier\"");
    return p;
  }

  /**
   * 401 for a page a browser opens (the workbench): a Basic challenge, so that the browser asks for the key once (as
   * the password; the user name is not read) and sends it with every request of the page.
   */
  public static Problem unauthorizedInBrowser() {
    Problem p = new Problem(401, "unauthorized", "unauthorized",
        "give an API key of the analyst role as the password when the browser asks (any user name), or send it in the"
            + " header Authorization: Bearer <key>", null);
    p.headers.put("WWW-Authenticate", "Basic realm=\"valuetier workbench\", charset=\"UTF-8\"");
    return p;
  }

  /** 403: a known key without the role this call needs. */
  public static Problem forbidden(String detail, String field) {
    return new Problem(403, "forbidden", "forbidden", detail, field);
  }

  public static Problem unsupportedMediaType(String given) {
    return new Problem(415, "unsupported-media-type", "unsupported media type",
        "send the body as JSON with the header Content-Type: application/json"
            + (given == null ? " (none was sent)" : " (it was '" + quote(given) + "')"), null);
  }

  public static Problem tooManyRequests(int perSecond, long retryAfterSeconds) {
    Problem p = new Problem(429, "rate-limited", "too many requests",
        "this key may send " + perSecond + " requests per second; retry after " + retryAfterSeconds + " s", null);
    p.headers.put("Retry-After", Long.toString(retryAfterSeconds));
    return p;
  }

  /** 500: a generic answer; the log holds the detail under the correlation id. */
  static Problem internal(String correlationId) {
    Problem p = new Problem(500, "internal-error", "internal error",
        "the server failed to answer; quote correlation id " + correlationId + " to the operator", null);
    p.correlationId = correlationId;
    return p;
  }

  /** 503: the database (or another dependency) does not answer; generic, the log holds the detail. */
  static Problem unavailable(String what, String correlationId) {
    Problem p = new Problem(503, "unavailable", "service unavailable",
        what + " is unavailable; retry later, or quote correlation id " + correlationId + " to the operator", null);
    p.correlationId = correlationId;
    p.headers.put("Retry-After", "5");
    return p;
  }

  /** {@code s} cut to {@value #MAX_QUOTE} characters (with an ellipsis and the full length when cut). */
  public static String quote(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_QUOTE ? s : s.substring(0, MAX_QUOTE) + "... (" + s.length() + " characters)";
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  /** Writes this problem as the reply of the exchange. */
  public void reply(Exchange exchange) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:valuetier:problem:" + kind);
    body.put("title", title);
    body.put("status", status);
    if (getMessage() != null) {
      body.put("detail", getMessage());
    }
    if (field != null) {
      body.put("field", cut(field, MAX_QUOTE));
    }
    if (correlationId != null) {
      body.put("correlation_id", correlationId);
      exchange.getMessage().setHeader(CORRELATION_HEADER, correlationId);
    }
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
    headers.forEach(exchange.getMessage()::setHeader);
    exchange.getMessage().setBody(Json.write(body));
  }
}
