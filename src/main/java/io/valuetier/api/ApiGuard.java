package io.valuetier.api;

import io.valuetier.api.ApiKeys.Caller;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every endpoint of the REST API runs through, whichever resource answers it. {@link #authorize} checks the
 * caller's API key and role ({@link ApiKeys}: 401 without a known key, 403 with a key of another role) and the key's
 * rate limit (429); {@link #answer} answers the exchange: JSON on success, an RFC 9457 {@link Problem} on failure (400
 * names the field, 404 for unknown customers, 503 when the database is down, 500 otherwise; the last two generic, with
 * a correlation id under which the log keeps the detail), and records its latency in {@link ServerMetrics}.
 */
final class ApiGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);

  private final ApiKeys keys;
  private final RateLimits limits;
  private final ServerMetrics metrics;

  ApiGuard(ApiKeys keys, int requestsPerSecondPerKey, ServerMetrics metrics) {
    this.keys = keys;
    this.limits = new RateLimits(requestsPerSecondPerKey);
    this.metrics = metrics;
  }

  /** The work of one endpoint: the body of its answer (a String is sent as Prometheus text, anything else as JSON). */
  interface Handler {
    Object handle(Exchange exchange) throws Exception;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /** Runs a handler: JSON 200 (or the status it set), a problem on failure, latency into the metrics. */
  void answer(Exchange ex, String route, Handler h) {
    long t0 = System.nanoTime();
    int status;
    try {
      Object body = h.handle(ex);
      Integer set = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
      status = set == null ? 200 : set;
      ex.getMessage().removeHeaders("*");
      ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
      if (body instanceof String text) {
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.getMessage().setBody(text);
      } else {
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(Json.write(body));
      }
    } catch (Problem p) {
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      status = p.status();
    } catch (Exception | Error e) {
      ex.getMessage().removeHeaders("*");
      Problem p = failure(route, e);
      p.reply(ex);
      status = p.status();
    }
    metrics.request(route, status, System.nanoTime() - t0);
  }

  /**
   * A generic problem for a server-side failure: 503 when the database does not answer, 500 otherwise. The body says
   * nothing of the cause (no SQL, URL, path, class or library message); the log has it all under the correlation id.
   */
  private static Problem failure(String route, Throwable e) {
    String id = UUID.randomUUID().toString();
    boolean database = false;
    for (Throwable t = e; t != null && !database; t = t.getCause() == t ? null : t.getCause()) {
      database = t instanceof StoreException || t instanceof SQLException;
    }
    LOG.error("{} failed, correlation id {}", route, id, e);
    return database ? Problem.unavailable("the database", id) : Problem.internal(id);
  }

  /**
   * The caller of this request: a known key ({@code Authorization: Bearer KEY}) with at least one of {@code roles},
   * within its rate limit; else 401 (no or unknown key), 403 (another role) or 429.
   */
  Caller authorize(Exchange e, Role... roles) {
    // platform-http also turns query parameters into headers: a key in the URL (kept by proxies and browser
    // histories) is refused rather than read
    String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
    if (query != null && query.toLowerCase(Locale.ROOT).contains("authorization")) {
      throw Problem.badRequest("Authorization", "send the API key in the Authorization header, never in the URL");
    }
    String header = e.getMessage().getHeader("Authorization", String.class);
    String key = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = header.substring(7).strip();
    }
    Caller caller = keys.identify(key);
    if (caller == null) {
      throw Problem.unauthorized();
    }
    boolean allowed = false;
    for (Role r : roles) {
      allowed |= caller.has(r);
    }
    if (!allowed) {
      throw Problem.forbidden("this call needs a key with the role "
          + String.join(" or ", Arrays.stream(roles).map(Role::label).toList()), null);
    }
    limits.acquire(caller.keyId());
    return caller;
  }

  /**
   * As {@link #authorize}, for the workbench, which a browser opens: the key may also come as the password of HTTP
   * Basic authentication (a browser asks for it once and sends it with every request of the page; the user name is
   * not read), and a missing or unknown key is answered with a Basic challenge so that the browser asks. Only the
   * workbench's endpoints take Basic; the API keeps to Bearer.
   */
  Caller authorizeBrowser(Exchange e, Role... roles) {
    String header = e.getMessage().getHeader("Authorization", String.class);
    boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    if (basic) {
      String password = basicPassword(header.substring(6).strip());
      e.getMessage().setHeader("Authorization", password == null ? null : "Bearer " + password);
    }
    Caller caller;
    try {
      caller = authorize(e, roles);
    } catch (Problem p) {
      throw p.status() == 401 ? Problem.unauthorizedInBrowser() : p;
    }
    if (basic && !"GET".equalsIgnoreCase(e.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
      requireOwnPage(e);
    }
    return caller;
  }

  /** The header every POST of the workbench page carries, and its value. */
  static final String PAGE_HEADER = "X-Requested-With";
  static final String PAGE_HEADER_VALUE = "valuetier-workbench";

  /**
   * Cross-site request forgery: a browser adds remembered Basic credentials to any request for this server, also one
   * another site's page makes. A POST authorized by Basic must therefore carry {@value #PAGE_HEADER}:
   * {@value #PAGE_HEADER_VALUE}, a header a form cannot set and a script of another origin cannot send without a CORS
   * preflight this server never grants; and an Origin, when the browser sends one, must be this server's own. A
   * Bearer key is never added by a browser by itself, so requests with it need neither.
   */
  private static void requireOwnPage(Exchange e) {
    String marker = e.getMessage().getHeader(PAGE_HEADER, String.class);
    if (!PAGE_HEADER_VALUE.equals(marker == null ? null : marker.strip())) {
      throw Problem.forbidden("a change with the browser's credentials must come from the workbench page: send "
          + PAGE_HEADER + ": " + PAGE_HEADER_VALUE + " (or use Authorization: Bearer)", PAGE_HEADER);
    }
    String origin = e.getMessage().getHeader("Origin", String.class);
    if (origin != null) {
      // the server's own address as this request reached it (Camel filters the Host header out of the message)
      String host = authority(e.getMessage().getHeader(Exchange.HTTP_URL, String.class));
      String authority = authority(origin.strip());
      if (host == null || authority == null || !authority.equalsIgnoreCase(host)) {
        throw Problem.forbidden("the request comes from another site's page (Origin " + Problem.quote(origin)
            + "); the workbench accepts changes only from its own page", "Origin");
      }
    }
  }

  /** The host and port of a URL, or null when it cannot be read. */
  private static String authority(String url) {
    try {
      return url == null ? null : java.net.URI.create(url).getRawAuthority();
    } catch (IllegalArgumentException bad) {
      return null;
    }
  }

  /** The password of Basic credentials ({@code base64(user:password)}), or null when they cannot be read. */
  private static String basicPassword(String encoded) {
    try {
      String decoded = new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /**
   * The guard of an endpoint that reads its own request (not through {@link #answer}): a key of {@code role} within
   * its rate limit and a JSON content type. Replies with the problem, counted under {@code route}, and returns false
   * when the request must not be read.
   */
  boolean admit(Exchange ex, String route, Role role) {
    try {
      authorize(ex, role);
      RequestJson.requireJsonType(ex);
      return true;
    } catch (Problem p) {
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      metrics.request(route, p.status(), 0);
      return false;
    }
  }
}
