package io.valuetier.api;

import io.valuetier.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * An error answer in the RFC 9457 "problem details" form ({@code application/problem+json}): a status, a title, a
 * detail in words and, for invalid input, the field that is wrong.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final String field;

  public Problem(int status, String title, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  public static Problem badRequest(String field, String detail) {
    return new Problem(400, "invalid request", detail, field);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not found", detail, null);
  }

  /** 401 with no detail: a caller without the right token learns nothing. */
  public static Problem unauthorized() {
    return new Problem(401, "unauthorized", null, null);
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
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    if (getMessage() != null) {
      body.put("detail", getMessage());
    }
    if (field != null) {
      body.put("field", field);
    }
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
    if (status == 401) {
      exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
    }
    exchange.getMessage().setBody(Json.write(body));
  }
}
