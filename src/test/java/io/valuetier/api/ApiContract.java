package io.valuetier.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.Population;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The REST API over HTTP against the running server (real Camel routes, real DMN engine and Drools, a real store),
 * run on H2 and on MariaDB by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// a request that never gets an answer fails its test instead of holding the build (each request also has its own
// 60 s timeout); seen only when other builds on the machine took the port a test had picked for a second server
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class ApiContract {
  // one key per role (the decide key configured by its sha256: line, the others as plain keys), and a key that has
  // both decide and facts
  static final String DECIDE = "decide-key-000000000001";
  static final String FACTS = "facts-and-decide-key-0002";
  static final String ANALYST = "analyst-key-00000000003";
  static final String ADMIN = "admin-key-0000000000004";
  static final String METRICS = "metrics-key-00000000005";
  static final String TOKEN = ADMIN;

  Path work;
  Store store;
  Settings settings;
  ApiServer server;
  String base;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  abstract String dbUrl();

  void drop() {}

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("valuetier-api");
    Path registry = work.resolve("models");
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), registry);
    int port = TestStores.freePort();
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.http.port", String.valueOf(port));
    m.put("valuetier.http.max-body-bytes", "65536");
    m.putAll(keySettings());
    m.put("valuetier.api.watch-rules", "false");
    m.put("valuetier.model.registry-dir", registry.toString());
    // a challenger decides 30% of the customers (its Gold tier ends at the 90th percentile instead of the 95th)
    m.put("valuetier.decide.challenger.dir",
        io.valuetier.decide.ChallengerRuleSets.goldEndsAt90(work.resolve("challenger")).toString());
    m.put("valuetier.decide.challenger.share", "0.3");
    m.put("valuetier.decide.challenger.salt", "api-salt");
    Settings s = TestStores.settings(dbUrl(), work, m);
    settings = s;
    store = Stores.open(s);
    Population.write(store, 2000, 7);
    server = ApiServer.start(s, store);
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
    drop();
  }

  static Map<String, String> keySettings() {
    return Map.of(
        "valuetier.api.keys.decide", "sha256:" + java.util.HexFormat.of().formatHex(ApiKeys.sha256(DECIDE)) + "," + FACTS,
        "valuetier.api.keys.facts", FACTS,
        "valuetier.api.keys.analyst", ANALYST,
        "valuetier.api.keys.admin", ADMIN + ", " + FACTS.replace("facts", "other"),
        "valuetier.api.keys.metrics", METRICS);
  }

  static String bearer(String key) {
    return "Bearer " + key;
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(java.time.Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST as the holder of {@code key} (null: without a key). */
  HttpResponse<String> postAs(String key, String path, String body, String... headers) throws Exception {
    String[] h = key == null ? headers : concat(headers, "Authorization", bearer(key));
    return post(path, body, h);
  }

  /** GET as the holder of {@code key} (null: without a key). */
  HttpResponse<String> getAs(String key, String path) throws Exception {
    return key == null ? get(path) : get(path, "Authorization", bearer(key));
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(60)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return Json.MAPPER.readTree(r.body());
  }

  /** A 400 problem that names {@code field}. */
  static void assertBadField(HttpResponse<String> r, String field) throws IOException {
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
    assertEquals(field, json(r).path("field").asText(), r.body());
  }

  @Test
  void aKnownCustomerGetsATierAnActionReasonsAndADecisionIdAndItsTraceCanBeRead() throws Exception {
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1900\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode d = json(r);
    assertFalse(d.path("decision_id").asText().isEmpty());
    assertFalse(d.path("tier").asText().isEmpty());
    assertTrue(d.path("reasons").size() >= 2, "a reason per matched table row: " + r.body());
    assertEquals(95.0, d.path("prediction").path("value_percentile").asDouble(), 1e-9);

    HttpResponse<String> trace = getAs(ANALYST, "/api/v1/customers/c1900/decision");
    assertEquals(200, trace.statusCode(), trace.body());
    JsonNode t = json(trace);
    assertEquals(d.path("decision_id").asText(), t.path("decision").path("decision_id").asText());
    assertTrue(t.path("explanation").size() > 3, trace.body());
  }

  @Test
  void aNewCustomerIsScoredFromItsFactsAndTransactionsThenDecided() throws Exception {
    String body = "{\"customer_id\":\"new-1\",\"as_of\":\"1997-12-31\",\"facts\":{\"marketing_consent\":true,"
        + "\"country\":\"France\",\"open_complaints\":0},\"transactions\":["
        + "{\"order_id\":\"A1\",\"order_date\":\"1997-03-01\",\"product_id\":\"CD\",\"quantity\":2,\"unit_price\":15.5},"
        + "{\"order_id\":\"A2\",\"order_date\":\"1997-08-20\",\"product_id\":\"CD\",\"quantity\":3,\"unit_price\":12},"
        + "{\"order_id\":\"A3\",\"order_date\":\"1997-12-01\",\"product_id\":\"CD\",\"quantity\":1,\"unit_price\":20}]}";
    HttpResponse<String> r = postAs(FACTS, "/api/v1/decisions", body);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode p = json(r).path("prediction");
    assertTrue(p.path("predicted_spend").asDouble() > 0, r.body());
    assertFalse(p.path("model_id").asText().isEmpty());
    assertEquals(3, p.path("reasons").size(), r.body());
  }

  @Test
  void theAnswerCarriesThePredictionIntervalOfTheScoreAndTheTraceKeepsIt() throws Exception {
    store.execute("UPDATE scores SET predicted_spend_low = 120.25, predicted_spend_high = 2400.75 WHERE customer_id = ?",
        "c1901");
    JsonNode d = json(postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1901\"}"));
    JsonNode interval = d.path("prediction").path("predicted_spend_interval");
    assertEquals(2, interval.size(), d.toString());
    assertEquals(120.25, interval.get(0).asDouble(), 1e-9);
    assertEquals(2400.75, interval.get(1).asDouble(), 1e-9);
    assertEquals(12025, store.queryLong("SELECT predicted_value_low * 100 FROM decisions WHERE decision_id = ?",
        Long.parseLong(d.path("decision_id").asText())));
    // a score without an interval (a model that gives none): no interval in the answer
    JsonNode other = json(postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1902\"}"));
    assertTrue(other.path("prediction").path("predicted_spend_interval").isMissingNode(), other.toString());
  }

  @Test
  void anUnknownCustomerWithoutDataIs404() throws Exception {
    HttpResponse<String> r = postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"nobody\"}");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals(404, getAs(DECIDE, "/api/v1/customers/nobody/decision").statusCode());
  }

  @Test
  void badJsonIs400AndWrongTypesNameTheirField() throws Exception {
    HttpResponse<String> broken = postAs(FACTS, "/api/v1/decisions", "{\"customer_id\": ");
    assertEquals(400, broken.statusCode());
    assertTrue(json(broken).path("detail").asText().contains("not valid JSON at line 1"), broken.body());
    assertBadField(postAs(FACTS, "/api/v1/decisions", "{}"), "customer_id");
    assertBadField(postAs(FACTS, "/api/v1/decisions", "{\"customer_id\": true}"), "customer_id");
    assertBadField(postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"x\",\"facts\":{\"marketing_consent\":\"yes\"}}"),
        "facts.marketing_consent");
    assertBadField(postAs(FACTS, "/api/v1/decisions",
        "{\"customer_id\":\"x\",\"transactions\":[{\"order_date\":\"2011-01-01\",\"quantity\":\"abc\",\"unit_price\":1}]}"),
        "transactions[0].quantity");
    assertBadField(postAs(FACTS, "/api/v1/decisions",
        "{\"customer_id\":\"x\",\"transactions\":[{\"order_date\":\"2011-13-45\",\"quantity\":1,\"unit_price\":1}]}"),
        "transactions[0].order_date");
    assertBadField(postAs(FACTS, "/api/v1/decisions", "{\"customer_id\":\"x\",\"transactions\":{}}"), "transactions");
    assertEquals(400, postAs(FACTS, "/api/v1/decisions", "[1,2,3]").statusCode());
  }

  @Test
  void aBodyThatIsNotJsonIs415AndAnOversizedBodyIs413() throws Exception {
    HttpResponse<String> plain = postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1\"}", "Content-Type", "text/plain");
    assertEquals(415, plain.statusCode(), plain.body());
    String big = "{\"customer_id\":\"c1\",\"pad\":\"" + "x".repeat(200_000) + "\"}";
    assertEquals(413, postAs(DECIDE, "/api/v1/decisions", big).statusCode());
    assertEquals(200, postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c1\"}").statusCode(), "the server is still fine");
  }

  @Test
  void withAnAdminKeyRulesCanBeReloadedListedAndAnUnknownVersionIsNotFound() throws Exception {
    String auth = "Bearer " + TOKEN;
    HttpResponse<String> reload = post("/api/v1/rules/reload", "{}", "Authorization", auth);
    assertEquals(200, reload.statusCode(), reload.body());
    HttpResponse<String> versions = get("/api/v1/rules/versions", "Authorization", auth);
    assertEquals(200, versions.statusCode());
    assertEquals(server.rules().active().version(), json(versions).path("active").asText());
    String challenger = server.rules().challenger().orElseThrow().ruleSet().version();
    assertEquals(challenger, json(versions).path("challenger").asText());
    assertEquals(challenger, json(reload).path("challenger").path("version").asText(), reload.body());
    assertEquals("UNCHANGED", json(reload).path("challenger").path("result").asText(), reload.body());
    assertEquals(404, post("/api/v1/rules/rollback", "{\"version\":\"abcdef12\"}", "Authorization", auth).statusCode());
    assertBadField(post("/api/v1/rules/rollback", "{\"version\":\"not a version!\"}", "Authorization", auth), "version");
  }

  @Test
  void challengerAndControlGroupsApplyOnlineAndTheTraceAndTheComparisonShowThem() throws Exception {
    String challenger = server.rules().challenger().orElseThrow().ruleSet().version();
    // config/application.properties holds out valuetier.feedback.control.share of each contact action's customers
    io.valuetier.decide.ControlGroups control = io.valuetier.decide.ControlGroups.from(settings);
    assertTrue(control.enabled(), "the shipped configuration has control groups");
    String heldOut = null;
    int challengers = 0;
    for (int i = 1000; i < 1400 && (heldOut == null || challengers == 0); i++) {
      JsonNode d = json(postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c" + i + "\"}"));
      boolean challenged = io.valuetier.decide.rules.Challenger.unit("api-salt", "c" + i) < 0.3;
      assertEquals(challenged ? "challenger" : "champion", d.path("rule_set_role").asText(), d.toString());
      assertEquals(challenged ? challenger : server.rules().active().version(), d.path("rule_set").asText());
      challengers += challenged ? 1 : 0;
      boolean held = d.path("control_group").asBoolean();
      assertEquals(held, !d.path("action").path("code").isNull() && d.path("action").path("channel").isNull()
          && control.heldOut("c" + i, d.path("action").path("code").asText()), d.toString());
      if (held && heldOut == null) {
        heldOut = "c" + i;
        assertTrue(d.path("reasons").toString().contains("CONTROL_GROUP: held out as the control group of "
            + d.path("action").path("code").asText()), d.toString());
      }
    }
    assertTrue(heldOut != null && challengers > 0, "some customer of 400 is held out, some decided by the challenger");
    JsonNode trace = json(getAs(ANALYST, "/api/v1/customers/" + heldOut + "/decision"));
    assertTrue(trace.path("decision").path("control_group").asBoolean(), trace.toString());
    assertEquals(io.valuetier.decide.rules.Challenger.unit("api-salt", heldOut) < 0.3 ? "challenger" : "champion",
        trace.path("decision").path("rule_set_role").asText(), trace.toString());
    assertTrue(trace.path("explanation").toString().contains("HELD OUT as its control group"), trace.toString());

    HttpResponse<String> cmp = getAs(ANALYST, "/api/v1/rules/comparison");
    assertEquals(200, cmp.statusCode(), cmp.body());
    JsonNode c = json(cmp);
    long run = c.path("run_id").asLong();
    assertEquals(store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", run), c.path("decisions").asLong());
    long sum = 0;
    long held = 0;
    for (JsonNode g : c.path("rule_sets")) {
      sum += g.path("customers").asLong();
      held += g.path("control_group").asLong();
    }
    assertEquals(c.path("decisions").asLong(), sum, c.toString());
    assertTrue(held >= 1, c.toString());
    assertEquals(challenger, c.path("challenger").path("version").asText(), c.toString());
    assertEquals("challenger", c.path("rule_sets").get(1).path("role").asText(), c.toString());
    assertEquals(400, getAs(ANALYST, "/api/v1/rules/comparison?run=x").statusCode());
    assertEquals(404, getAs(ANALYST, "/api/v1/rules/comparison?run=999999").statusCode());
  }

  @Test
  void healthMetricsModelsAndTheOpenApiDocumentAreServed() throws Exception {
    postAs(DECIDE, "/api/v1/decisions", "{\"customer_id\":\"c10\"}");
    HttpResponse<String> health = get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", json(health).path("status").asText());
    HttpResponse<String> metrics = getAs(METRICS, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("valuetier_decisions_total "), metrics.body());
    assertTrue(metrics.body().contains("valuetier_request_latency_seconds_bucket{le=\"+Inf\"}"));
    assertTrue(metrics.body().contains("valuetier_decisions_by_tier_total{tier="));
    JsonNode models = json(getAs(ANALYST, "/api/v1/models"));
    assertFalse(models.path("champion").isNull(), models.toString());
    assertTrue(models.path("models").size() >= 2);
    JsonNode doc = json(getAs(DECIDE, "/api/v1/openapi.json"));
    assertEquals("3.1.0", doc.path("openapi").asText());
    assertTrue(doc.path("paths").has("/api/v1/decisions"));
    assertTrue(doc.path("paths").has("/api/v1/rules/comparison"));
    assertEquals("bearer", doc.path("components").path("securitySchemes").path("apiKey").path("scheme").asText());
    assertEquals("decide",
        doc.path("paths").path("/api/v1/decisions").path("post").path("security").get(0).path("apiKey").get(0).asText());
    assertEquals("admin",
        doc.path("paths").path("/api/v1/rules/reload").path("post").path("security").get(0).path("apiKey").get(0).asText());
    assertEquals(0, doc.path("paths").path("/health").path("get").path("security").size(), "health needs no key");
  }

  @Test
  void aCandidateThatRaisesTheGoldThresholdMovesExactlyTheCustomersBetweenTheOldAndNewThresholdToSilver()
      throws Exception {
    String dmn = Files.readString(TestStores.home().resolve("dmn/customer-tiering.dmn"));
    String candidate = dmn.replace("<text>[80..95)</text>", "<text>[85..95)</text>")
        .replace("<text>[50..80)</text>", "<text>[50..85)</text>")
        .replaceFirst("(vt-r3-c4\"><text>&gt;= )80", "$185");
    assertFalse(candidate.equals(dmn));
    long decisionsBefore = store.queryLong("SELECT COUNT(*) FROM decisions");
    HttpResponse<String> r = postAs(ANALYST, "/api/v1/simulations", Json.write(Map.of("dmn", candidate)));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode impact = json(r);
    long direct = store.queryLong(
        "SELECT COUNT(*) FROM scores WHERE NOT cold_start AND tenure_days >= 90 AND probability_active >= 0.3"
            + " AND value_percentile >= 80 AND value_percentile < 85");
    assertTrue(direct > 0, "the population has customers in the moved band");
    assertEquals(direct, impact.path("tier_migration").path("Gold").path("Silver").asLong(), r.body());
    assertEquals(0, impact.path("tier_migration").path("Silver").path("Gold").asLong());
    assertEquals(decisionsBefore, store.queryLong("SELECT COUNT(*) FROM decisions"), "nothing was written");
  }

  @Test
  void aCandidateThatDoesNotValidateIsRefusedWithMessagesThatNameTheElement() throws Exception {
    String dmn = Files.readString(TestStores.home().resolve("dmn/customer-tiering.dmn"));
    String broken = dmn.replace("<text>[80..95)</text>", "<text>[80..95</text>");
    HttpResponse<String> r = postAs(ANALYST, "/api/v1/simulations", Json.write(Map.of("dmn", broken)));
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().contains("Value Tier"), r.body());
    assertBadField(postAs(ANALYST, "/api/v1/simulations", "{}"), "dmn");
  }
}
