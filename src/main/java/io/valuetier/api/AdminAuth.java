package io.valuetier.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

/**
 * The admin endpoints' guard: a bearer token ({@code Authorization: Bearer TOKEN}) compared in constant time with
 * {@code valuetier.api.admin-token}. The token is never logged or echoed; with no token configured every admin call
 * is refused.
 */
public final class AdminAuth {
  private final byte[] token;

  public AdminAuth(String token) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Throws a 401 problem unless the request carries the admin token. */
  public void check(Exchange exchange) {
    String header = exchange.getMessage().getHeader("Authorization", String.class);
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      throw Problem.unauthorized();
    }
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(token, given)) {
      throw Problem.unauthorized();
    }
  }

  @Override
  public String toString() {
    return "AdminAuth[token " + (token == null ? "not set" : "set") + "]";
  }
}
