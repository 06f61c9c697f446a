package io.valuetier.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The attacks on the REST API, one test each, over real sockets against the running server (on H2 and MariaDB by the
 * subclasses): calls without a key or with a key of another role, caller-supplied facts, numbers with huge exponents,
 * wrong content types, deep or wide JSON, the rate limit, keys in logs, a database outage and an exposed address.
 */
abstract class ApiSecurityContract extends ApiContract {

  private static final String[][] KEYED = {
    {"POST", "/api/v1/decisions", "{\"customer_id\":\"c1\"}"},
    {"GET", "/api/v1/customers/c1/decision", null},
    {"POST", "/api/v1/events/transactions", "{}"},
    {"POST", "/api/v1/simulations", "{\"dmn\":\"x\"}"},
    {"GET", "/api/v1/rules/comparison", null},
    {"GET", "/api/v1/models", null},
    {"POST", "/api/v1/rules/reload", "{}"},
    {"POST", "/api/v1/rules/rollback", "{\"version\":\"abcd\"}"},
    {"GET", "/api/v1/rules/versions", null},
    {"POST", "/api/v1/customers/erasures", "{\"customer_ids\":[\"c1\"]}"},
    {"GET", "/metrics", null},
    {"GET", "/api/v1/openapi.json", null},
  };

  /** A request that fails after 60 s instead of waiting for ever (the machine is shared with other builds). */
  private static HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).timeout(java.time.Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(String[] endpoint, String... headers) throws Exception {
    return endpoint[0].equals("POST") ? post(endpoint[1], endpoint[2], headers) : get(endpoint[1], headers);
  }

  private static void assertProblem(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
    JsonNode p = json(r);
    assertTrue(p.path("type").asText().startsWith("urn:valuetier:problem:"), r.body());
    assertFalse(p.path("title").asText().isEmpty(), r.body());
    assertEquals(status, p.path("status").asInt(), r.body());
  }

  @Test
  void everyEndpointButHealthAnswers401WithAProblemAndWwwAuthenticateWithoutAKeyOrWithAnUnknownOne()
      throws Exception {
    for (String[] e : KEYED) {
      for (String[] headers : new String[][] {{}, {"Authorization", "Bearer not-a-known-key-0000"},
          {"Authorization", "Basic " + ADMIN}}) {
        HttpResponse<String> r = call(e, headers);
        assertProblem(r, 401);
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), e[1]);
        assertFalse(r.body().contains(ADMIN), r.body());
      }
    }
    assertEquals(200, get("/health").statusCode());
  }

  @Test
  void aKeyInTheUrlIsRefusedNotRead() throws Exception {
    HttpResponse<String> r = get("/api/v1/rules/versions?Authorization=Bearer%20" + ADMIN);
    assertProblem(r, 400);
    assertFalse(r.body().contains(ADMIN), r.body());
  }

  @Test
  void anAdminKeyErasesACustomerSoThatNoRowHoldsItsIdAndTheOtherRolesCannot() throws Exception {
    String id = "c1800";
    assertEquals(200, postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"" + id + "\"}").statusCode());
    String body = "{\"customer_ids\":[\"" + id + "\"]}";
    for (String other : List.of(DECIDE, FACTS, ANALYST, METRICS)) {
      assertProblem(postAs(other, "/api/v1/customers/erasures", body), 403);
    }
    assertTrue(store.queryLong("SELECT COUNT(*) FROM scores WHERE customer_id = '" + id + "'") > 0);
    assertTrue(store.queryLong("SELECT COUNT(*) FROM decisions WHERE customer_id = '" + id + "'") > 0);

    HttpResponse<String> r = postAs(ADMIN, "/api/v1/customers/erasures", body);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode done = json(r);
    assertEquals(1, done.path("customers").asInt(), r.body());
    assertEquals(1, done.path("newly_marked").asInt(), r.body());
    assertFalse(r.body().contains(work.toAbsolutePath().toString()), "no server path in the answer: " + r.body());
    for (String table : List.of("scores", "decisions", "customers", "contact_log", "transactions")) {
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM " + table + " WHERE customer_id = '" + id + "'"), table);
    }
    assertEquals(404, getAs(ANALYST, "/api/v1/customers/" + id + "/decision").statusCode());

    assertBadField(postAs(ADMIN, "/api/v1/customers/erasures", "{\"customer_ids\":[]}"), "customer_ids");
    assertBadField(postAs(ADMIN, "/api/v1/customers/erasures", "{\"customer_ids\":[\"" + "x".repeat(65) + "\"]}"),
        "customer_ids[0]");
  }

  @Test
  void aKeyOfAnotherRoleGets403() throws Exception {
    assertProblem(postAs(ANALYST, "/api/v1/decisions", "{\"customer_id\":\"c1\"}"), 403);
    assertProblem(postAs(ADMIN, "/api/v1/events/transactions", "{}"), 403);
    assertProblem(postAs(DECIDE, "/api/v1/simulations", "{\"dmn\":\"x\"}"), 403);
    assertProblem(getAs(DECIDE, "/api/v1/rules/comparison"), 403);
    assertProblem(getAs(DECIDE, "/api/v1/models"), 403);
    assertProblem(postAs(ANALYST, "/api/v1/rules/reload", "{}"), 403);
    assertProblem(getAs(ANALYST, "/api/v1/rules/versions"), 403);
    assertProblem(getAs(DECIDE, "/metrics"), 403);
    assertProblem(getAs(METRICS, "/api/v1/models"), 403);
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/rules/rollback", "{\"version\":\"abcd\"}");
    assertProblem(r, 403);
    assertTrue(json(r).path("detail").asText().contains("admin"), r.body());
  }

  @Test
  void aSecondKeyOfARoleWorksAsWellSoKeysCanBeRotated() throws Exception {
    assertEquals(200, getAs(FACTS.replace("facts", "other"), "/api/v1/rules/versions").statusCode());
    assertEquals(200, getAs(ADMIN, "/api/v1/rules/versions").statusCode());
  }

  @Test
  void aDecideKeyReadsADecisionWithoutItsTraceInputsAndAnAnalystKeyReadsTheWholeTrace() throws Exception {
    assertEquals(200, postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1500\"}").statusCode());
    JsonNode limited = json(getAs(DECIDE, "/api/v1/customers/c1500/decision"));
    assertFalse(limited.path("decision").path("value_tier").asText().isEmpty(), limited.toString());
    assertTrue(limited.path("decision").path("inputs").isMissingNode(), limited.toString());
    assertTrue(limited.path("decision").path("predicted_value").isMissingNode(), limited.toString());
    assertTrue(limited.path("explanation").isMissingNode(), limited.toString());
    assertFalse(limited.toString().contains("Marketing Consent"), limited.toString());
    JsonNode full = json(getAs(ANALYST, "/api/v1/customers/c1500/decision"));
    assertTrue(full.path("decision").path("inputs").has("Marketing Consent"), full.toString());
    assertTrue(full.path("decision").path("inputs").has("Fraud Flag"), full.toString());
    assertTrue(full.path("explanation").size() > 3, full.toString());
  }

  @Test
  void factsRecentContactsAndTransactionsWithoutTheFactsRoleAre403NamingTheField() throws Exception {
    for (String field : List.of("facts", "recent_contacts", "transactions")) {
      String value = field.equals("facts") ? "{\"marketing_consent\":true}" : field.equals("recent_contacts") ? "0" : "[]";
      HttpResponse<String> r =
          postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1900\",\"" + field + "\":" + value + "}");
      assertProblem(r, 403);
      assertEquals(field, json(r).path("field").asText(), r.body());
      assertTrue(json(r).path("detail").asText().contains("facts"), r.body());
    }
  }

  @Test
  void suppliedConsentAndFraudFactsNeverRelaxTheStoredHoldsAndTheTraceIsMarked() throws Exception {
    String noConsent = store.queryString(
        "SELECT MIN(c.customer_id) FROM customers c JOIN scores s ON s.customer_id = c.customer_id"
            + " WHERE c.marketing_consent = FALSE AND c.fraud_flag = FALSE");
    String fraud = store.queryString(
        "SELECT MIN(c.customer_id) FROM customers c JOIN scores s ON s.customer_id = c.customer_id"
            + " WHERE c.fraud_flag = TRUE");
    assertNotNull(noConsent);
    assertNotNull(fraud, "the population has a customer flagged for fraud");
    String relax = ",\"facts\":{\"marketing_consent\":true,\"fraud_flag\":false,\"open_complaints\":0},"
        + "\"recent_contacts\":0}";
    for (String id : List.of(noConsent, fraud)) {
      HttpResponse<String> r = postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"" + id + "\"" + relax);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(json(r).path("inputs_source").asText().startsWith("request: facts, recent_contacts"), r.body());
      JsonNode trace = json(getAs(ANALYST, "/api/v1/customers/" + id + "/decision")).path("decision");
      assertEquals(json(r).path("decision_id").asText(), trace.path("decision_id").asText());
      JsonNode inputs = trace.path("inputs");
      if (id.equals(noConsent)) {
        assertFalse(inputs.path("Marketing Consent").asBoolean(true), "the stored 'no consent' wins: " + inputs);
      } else {
        assertTrue(inputs.path("Fraud Flag").asBoolean(false), "the stored fraud flag wins: " + inputs);
        assertTrue(trace.path("fired_rules").toString().toLowerCase().contains("fraud"), trace.toString());
      }
      assertTrue(inputs.path(DecisionsResource.INPUTS_SOURCE).asText().contains("facts"), inputs.toString());
      assertTrue(trace.path("inputs_source").asText().contains("facts"), trace.toString());
    }
  }

  @Test
  void aKnownCustomerDecidedWithSuppliedFactsKeepsItsStoredPredictionInsteadOfAColdStartZero() throws Exception {
    HttpResponse<String> r = postAs(FACTS, "/api/v1/decisions",
        "{\"customer_id\":\"c1900\",\"facts\":{\"loyalty_member\":true}}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode p = json(r).path("prediction");
    double stored = Double.parseDouble(store.queryString("SELECT predicted_spend FROM scores WHERE customer_id = 'c1900'"));
    assertTrue(stored > 0);
    assertEquals(stored, p.path("predicted_spend").asDouble(), 0.005, r.body());
    assertEquals(95.0, p.path("value_percentile").asDouble(), 1e-9, r.body());
    assertEquals(store.queryLong("SELECT CASE WHEN cold_start THEN 1 ELSE 0 END FROM scores WHERE customer_id = 'c1900'")
        == 1, p.path("cold_start").asBoolean(), r.body());
  }

  @Test
  void aKnownCustomerSentNewTransactionsIsRescoredFromItsStoredHistoryPlusThem() throws Exception {
    // c1950 bought four times in 2026 before the cutoff of its stored score (2026-11-01); a new customer sends only
    // the same single line: the known customer's tenure counts from its first stored purchase
    try (java.sql.Connection c = store.connection();
        java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO transactions (row_key, row_check,"
            + " customer_id, order_id, order_ts, product_id, quantity, unit_price, currency, country, is_outlier,"
            + " source_id, line_no) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      String[] days = {"2026-02-03", "2026-04-10", "2026-06-15", "2026-09-01"};
      for (int i = 0; i < days.length; i++) {
        ps.setLong(1, 9_000_000_000L + i);
        ps.setLong(2, i);
        ps.setString(3, "c1950");
        ps.setString(4, "H" + i);
        ps.setObject(5, java.time.LocalDate.parse(days[i]).atTime(10, 0));
        ps.setString(6, "P");
        ps.setBigDecimal(7, java.math.BigDecimal.valueOf(3));
        ps.setBigDecimal(8, java.math.BigDecimal.valueOf(25));
        ps.setString(9, "EUR");
        ps.setString(10, "France");
        ps.setBoolean(11, false);
        ps.setInt(12, 1);
        ps.setLong(13, i + 1);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    String line = ",\"as_of\":\"2026-11-01\",\"transactions\":[{\"order_id\":\"N1\",\"order_date\":\"2026-10-20\","
        + "\"product_id\":\"P\",\"quantity\":3,\"unit_price\":25}]}";
    HttpResponse<String> known = postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"c1950\"" + line);
    HttpResponse<String> fresh = postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"new-history-1\"" + line);
    assertEquals(200, known.statusCode(), known.body());
    assertEquals(200, fresh.statusCode(), fresh.body());
    double knownTenure = json(getAs(ANALYST, "/api/v1/customers/c1950/decision"))
        .path("decision").path("inputs").path("Tenure Days").asDouble();
    double freshTenure = json(getAs(ANALYST, "/api/v1/customers/new-history-1/decision"))
        .path("decision").path("inputs").path("Tenure Days").asDouble();
    assertEquals(java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse("2026-02-03"),
        java.time.LocalDate.parse("2026-11-01")), knownTenure, 1.0, known.body());
    assertTrue(freshTenure < 30, "the new customer has only the sent line: " + freshTenure);
    assertFalse(json(known).path("prediction").path("cold_start").asBoolean(), known.body());
  }

  @Test
  void aHugeExponentInADecisionRequestIsAShortFast400AsAStringAndAsAJsonNumber() throws Exception {
    for (String q : List.of("\"1e999999999\"", "1e999999999", "\"" + "9".repeat(60) + "\"", "1" + "0".repeat(40))) {
      String body = "{\"customer_id\":\"c1900\",\"transactions\":[{\"order_date\":\"2026-01-01\",\"quantity\":" + q
          + ",\"unit_price\":1}]}";
      long t0 = System.nanoTime();
      HttpResponse<String> r = postAs(FACTS, "/api/v1/decisions", body);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertBadField(r, "transactions[0].quantity");
      assertTrue(r.body().length() < 2048, r.body().length() + " characters");
      assertTrue(ms < 2000, ms + " ms");
    }
  }

  @Test
  void aHugeExponentInAnEventIsAShortFast422AndItsStoredRejectionIsBounded() throws Exception {
    String event = "{\"order_id\":\"X1\",\"customer_id\":\"c7\",\"order_date\":\"2026-01-01 10:00:00\","
        + "\"product_id\":\"P\",\"description\":\"" + "d".repeat(10_000) + "\",\"quantity\":\"1e999999999\","
        + "\"unit_price\":1,\"currency\":\"EUR\"}";
    long t0 = System.nanoTime();
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/events/transactions", event);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().length() < 2048, r.body().length() + " characters");
    assertTrue(ms < 2000, ms + " ms");
    assertEquals("ABSURD_QUANTITY", json(r).path("reason").asText(), r.body());
    assertTrue(r.headers().firstValue("Authorization").isEmpty(), "the key is not echoed: " + r.headers().map());
    String stored = store.queryString(
        "SELECT original_text FROM rejected_records WHERE reason_code = 'ABSURD_QUANTITY' AND original_text LIKE ?",
        "%\"order_id\":\"X1\"%");
    assertNotNull(stored);
    assertTrue(stored.length() <= 4096 + 100, stored.length() + " characters stored");
    assertTrue(stored.contains("[truncated, "), "the cut is noted: " + stored.substring(stored.length() - 60));
    HttpResponse<String> number = postAs(DECIDE, "/api/v1/events/transactions",
        event.replace("\"quantity\":\"1e999999999\"", "\"quantity\":1e999999999").replace("X1", "X2"));
    assertEquals(422, number.statusCode(), number.body());
    assertTrue(number.body().length() < 2048);
  }

  @Test
  void aBodyThatIsNotDeclaredAsJsonIs415OnDecisionsAndEvents() throws Exception {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/jsonx",
        "text/json", "application/json-patch")) {
      assertProblem(postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1\"}", "Content-Type", type), 415);
      assertProblem(postAs(DECIDE, "/api/v1/events/transactions", "{}", "Content-Type", type), 415);
    }
    assertEquals(200, postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1\"}",
        "Content-Type", "application/json; charset=utf-8").statusCode());
    assertEquals(200, postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1\"}",
        "Content-Type", "application/vnd.valuetier+json").statusCode());
  }

  @Test
  void jsonNestedDeeperThan16Is400() throws Exception {
    String deep = "{\"customer_id\":\"c1\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/decisions", deep);
    assertProblem(r, 400);
    assertTrue(json(r).path("detail").asText().contains("nested at most 16"), r.body());
    assertFalse(r.body().contains("StreamReadConstraints"), r.body());
  }

  @Test
  void anObjectWithMoreThan64FieldsIs400() throws Exception {
    StringBuilder b = new StringBuilder("{\"customer_id\":\"c1\"");
    for (int i = 0; i < 100; i++) {
      b.append(",\"f").append(i).append("\":").append(i);
    }
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/decisions", b.append('}').toString());
    assertProblem(r, 400);
    assertTrue(json(r).path("detail").asText().contains("at most 64"), r.body());
  }

  @Test
  void aNumberOfMoreThan64DigitsIs400WithoutQuotingIt() throws Exception {
    String digits = "7".repeat(5000);
    HttpResponse<String> r = postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"c1\",\"recent_contacts\":" + digits + "}");
    assertProblem(r, 400);
    assertFalse(r.body().contains("7".repeat(65)), r.body());
  }

  @Test
  void anEventLargerThanTheBodyLimitIs413() throws Exception {
    String big = "{\"order_id\":\"" + "x".repeat(100_000) + "\"}";
    assertEquals(413, postAs(DECIDE, "/api/v1/events/transactions", big).statusCode());
  }

  /**
   * A second server on the same database, with other settings; closed by the caller. It has an HTTP client of its own
   * (HTTP/1.1, new connections), so that no connection pooled for an earlier server on a reused port is taken, and
   * every answer is awaited for at most 60 s, body included.
   */
  private record Extra(ApiServer server, Store store, String base, HttpClient client) implements AutoCloseable {
    HttpResponse<String> send(HttpRequest request) throws Exception {
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      client.shutdownNow();
      server.close();
      store.close();
    }
  }

  private Extra extraServer(Map<String, String> more) throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.http.port", String.valueOf(port));
    m.put("valuetier.api.watch-rules", "false");
    m.put("valuetier.model.registry-dir", settings.get("valuetier.model.registry-dir", null));
    m.putAll(keySettings());
    m.putAll(more);
    Settings s = TestStores.settings(dbUrl(), work, m);
    Store st = Stores.open(s);
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(java.time.Duration.ofSeconds(10)).build();
      return new Extra(ApiServer.start(s, st), st, "http://127.0.0.1:" + port, client);
    } catch (RuntimeException e) {
      st.close();
      throw e;
    }
  }

  @Test
  void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
    try (Extra x = extraServer(Map.of("valuetier.api.rate-limit.per-second", "3"))) {
      HttpResponse<String> limited = null;
      for (int i = 0; i < 20 && limited == null; i++) {
        HttpResponse<String> r = x.send(request(x.base() + "/api/v1/openapi.json")
            .header("Authorization", bearer(DECIDE)).build());
        if (r.statusCode() == 429) {
          limited = r;
        } else {
          assertEquals(200, r.statusCode(), r.body());
        }
      }
      assertNotNull(limited, "20 requests at once exceed 3 per second");
      assertProblem(limited, 429);
      long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retry >= 1 && retry <= 2, "Retry-After " + retry);
      HttpResponse<String> other = x.send(request(x.base() + "/api/v1/openapi.json")
          .header("Authorization", bearer(ANALYST)).build());
      assertEquals(200, other.statusCode(), "another key has its own budget");
    }
  }

  @Test
  void keysNeverAppearInTheLogNorInFailureAnswers() throws Exception {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    String legacy = "legacy-admin-token-0000000006";
    try (Extra x = extraServer(Map.of("valuetier.api.admin-token", legacy))) {
      for (String key : List.of(DECIDE, FACTS, ANALYST, ADMIN, METRICS, legacy, "wrong-key-000000000007")) {
        x.send(request(x.base() + "/api/v1/rules/versions")
            .header("Authorization", bearer(key)).build());
      }
      HttpResponse<String> byLegacy = x.send(request(x.base() + "/api/v1/rules/versions")
          .header("Authorization", bearer(legacy)).build());
      assertEquals(200, byLegacy.statusCode(), "the deprecated admin token still works as an admin key");
      assertFalse(x.server().keys().toString().contains(ADMIN));
    } finally {
      root.detachAppender(log);
    }
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : log.list) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    assertTrue(all.toString().contains("valuetier.api.admin-token is deprecated"), "a deprecation warning is logged");
    for (String key : List.of(DECIDE, FACTS, ANALYST, ADMIN, METRICS, legacy, "wrong-key-000000000007")) {
      assertFalse(all.toString().contains(key), "the log holds a key");
    }
  }

  @Test
  void aDatabaseOutageIsAGeneric503WithACorrelationIdAndNoSqlOrUrlInTheBody() throws Exception {
    try (Extra x = extraServer(Map.of())) {
      x.store().close(); // the pool is gone: every query fails as in an outage
      HttpResponse<String> r = x.send(request(x.base() + "/api/v1/decisions")
          .header("Authorization", bearer(DECIDE)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"customer_id\":\"c1900\"}")).build());
      assertProblem(r, 503);
      String id = r.headers().firstValue(Problem.CORRELATION_HEADER).orElseThrow();
      assertEquals(id, json(r).path("correlation_id").asText(), r.body());
      for (String leak : List.of("jdbc:", "SELECT", "select", "Exception", "java.", "io.valuetier", "/tmp", "Hikari",
          "pool", work.toString())) {
        assertFalse(r.body().contains(leak), "the body shows '" + leak + "': " + r.body());
      }
    }
  }

  @Test
  void serveRefusesANonLoopbackHostWithoutKeys() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.http.host", "0.0.0.0");
    m.put("valuetier.http.port", "1");
    Settings s = TestStores.settings(dbUrl(), work, m);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiServer.start(s, store));
    assertTrue(e.getMessage().startsWith("refusing to serve on 0.0.0.0 without API keys"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
