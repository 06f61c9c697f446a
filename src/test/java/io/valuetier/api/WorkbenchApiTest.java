package io.valuetier.api;

import static io.valuetier.api.WorkbenchServer.ADMIN;
import static io.valuetier.api.WorkbenchServer.ANALYST;
import static io.valuetier.api.WorkbenchServer.DECIDE;
import static io.valuetier.api.WorkbenchServer.DEPLOYER;
import static io.valuetier.api.WorkbenchServer.basic;
import static io.valuetier.api.WorkbenchServer.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The workbench's endpoints over HTTP against the running server (real routes, DMN engine, Drools and store): Test,
 * Simulate, Deploy (refused by the gate, 409 when the base changed, a key without the deploy role refused), Rollback
 * the protection of Basic-authorized POSTs against other sites' pages, and Deploy as challenger (the server has a
 * challenger folder deciding 30% of the customers, empty at the start). Ordered: Deploy and Rollback change the
 * active version that the later tests start from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchApiTest {
  private static final String SALT = "workbench-test-salt";
  private WorkbenchServer wb;
  private Path challengerDir;
  private JsonNode model;

  @BeforeAll
  void start() throws Exception {
    // a challenger folder that holds nothing yet (no challenger decides anybody until one is deployed into it)
    challengerDir = Files.createTempDirectory("valuetier-workbench-challenger").resolve("challenger");
    wb = new WorkbenchServer("workbench-api", 500, Map.of(Challenger.DIR_KEY, challengerDir.toString(),
        Challenger.SHARE_KEY, "0.3", Challenger.SALT_KEY, SALT));
    model = Json.MAPPER.readTree(wb.get("/workbench/api/model", bearer(ANALYST)).body());
  }

  @AfterAll
  void stop() {
    wb.close();
  }

  /** The active model with Platinum from the given percentile (95 in the rule set) and Gold ending there. */
  String platinumFrom(int percentile) {
    String dmn = model.path("dmn").asText();
    assertTrue(dmn.contains("&gt;= 95<") && dmn.contains("[80..95)<"), "the thresholds moved in the rule set");
    return dmn.replace("&gt;= 95<", "&gt;= " + percentile + "<").replace("[80..95)<", "[80.." + percentile + ")<");
  }

  ObjectNode candidate(String dmn) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("file", model.path("file").asText());
    body.put("dmn", dmn);
    return body;
  }

  HttpResponse<String> post(String path, String key, JsonNode body) throws Exception {
    return wb.post(path, Json.write(body), "Authorization", bearer(key));
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  /** The case of a test run at {@code line} of the rule set's test table. */
  static JsonNode testCase(JsonNode result, int line) {
    for (JsonNode t : result.path("tables")) {
      for (JsonNode c : t.path("cases")) {
        if (c.path("line").asInt() == line) {
          return c;
        }
      }
    }
    throw new AssertionError("no case at line " + line + ": " + result);
  }

  static JsonNode column(JsonNode testCase, String name) {
    for (JsonNode c : testCase.path("columns")) {
      if (c.path("column").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name + " in " + testCase);
  }

  @Test
  @Order(0)
  void everyWorkbenchEndpointAsksForAKeyAndTheHistoryNeedsAnAnalyst() throws Exception {
    for (String path : List.of("/workbench/api/test", "/workbench/api/simulate", "/workbench/api/deploy",
        "/workbench/api/rollback", "/workbench/api/validate")) {
      HttpResponse<String> r = wb.post(path, "{}");
      assertEquals(401, r.statusCode(), path);
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), path);
    }
    assertEquals(401, wb.get("/workbench/api/history", null).statusCode());
    assertEquals(403, wb.get("/workbench/api/history", bearer(DECIDE)).statusCode());
    HttpResponse<String> h = wb.get("/workbench/api/history", bearer(ANALYST));
    assertEquals(200, h.statusCode(), h.body());
    assertEquals(server().rules().active().version(), json(h).path("active").asText());
    assertEquals("INITIAL", json(h).path("activations").path(0).path("reason").asText(), h.body());
  }

  @Test
  @Order(1)
  void testRunsTheTestTablesAsEditedAgainstTheEditedModelWithExpectedAgainstActualPerRow() throws Exception {
    JsonNode same = json(post("/workbench/api/test", ANALYST, candidate(model.path("dmn").asText())));
    assertTrue(same.path("valid").asBoolean(), same.toString());
    assertTrue(same.path("passed").asBoolean(), same.toString());
    assertEquals("dmn/tests/customer-tiering.csv", same.path("tables").path(0).path("file").asText());
    int cases = same.path("cases").asInt();
    assertTrue(cases > 10, same.toString());
    JsonNode vip = testCase(same, 6);
    assertEquals("Platinum", column(vip, "Value Tier").path("expected").asText());
    assertEquals("Platinum", column(vip, "Value Tier").path("actual").asText());

    // Platinum from the 85th percentile: the Gold cases at the 88th become Platinum and fail
    JsonNode at85 = json(post("/workbench/api/test", ANALYST, candidate(platinumFrom(85))));
    assertFalse(at85.path("passed").asBoolean(), at85.toString());
    JsonNode gold = column(testCase(at85, 8), "Value Tier");
    assertEquals("Gold", gold.path("expected").asText());
    assertEquals("Platinum", gold.path("actual").asText());
    assertFalse(gold.path("ok").asBoolean());
    assertEquals(at85.path("failed").asInt(), countFailed(at85));

    // an edited test table goes with the model: case 6 now expects Gold of a customer at the 97th percentile
    String csv = model.path("test_tables").path("dmn/tests/customer-tiering.csv").asText();
    String[] lines = csv.split("\n", -1);
    lines[5] = lines[5].replace(",Platinum,", ",Gold,");
    ObjectNode body = candidate(model.path("dmn").asText());
    body.putObject("tests").put("dmn/tests/customer-tiering.csv", String.join("\n", lines));
    JsonNode edited = json(post("/workbench/api/test", ANALYST, body));
    assertEquals(1, edited.path("failed").asInt(), edited.toString());
    assertEquals("Platinum", column(testCase(edited, 6), "Value Tier").path("actual").asText());
    assertEquals(server().rules().active().version(), model.path("version").asText(), "Test saves nothing");

    // a model that does not validate answers its messages; a test table outside dmn/tests/ is refused
    JsonNode broken = json(post("/workbench/api/test", ANALYST, candidate(platinumFrom(95).replace("[80..95)<",
        "[80..95<"))));
    assertFalse(broken.path("valid").asBoolean(), broken.toString());
    assertTrue(broken.path("messages").size() > 0, broken.toString());
    ObjectNode outside = candidate(model.path("dmn").asText());
    outside.putObject("tests").put("rules/guardrails.drl", "rule x when then end");
    HttpResponse<String> refused = post("/workbench/api/test", ANALYST, outside);
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("tests", json(refused).path("field").asText(), refused.body());
  }

  private static int countFailed(JsonNode result) {
    int n = 0;
    for (JsonNode t : result.path("tables")) {
      for (JsonNode c : t.path("cases")) {
        n += c.path("passed").asBoolean() ? 0 : 1;
      }
    }
    return n;
  }

  ApiServer server() {
    return wb.server;
  }

  @Test
  @Order(2)
  void simulateGivesTheTierMigrationAndActionChangesOfTheScoredCustomersAsTheSimulationsApiDoes() throws Exception {
    HttpResponse<String> r = post("/workbench/api/simulate", ANALYST, candidate(platinumFrom(90)));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode sim = json(r);
    assertEquals(500, sim.path("customers").asLong(), r.body());
    long goldToPlatinum = sim.path("tier_migration").path("Gold").path("Platinum").asLong();
    assertTrue(goldToPlatinum > 0, r.body());
    long total = 0;
    for (JsonNode to : sim.path("tier_migration")) {
      for (JsonNode n : to) {
        total += n.asLong();
      }
    }
    assertEquals(500, total, "every customer is in one cell");
    JsonNode ids = sim.path("migration_examples").path("Gold").path("Platinum");
    assertTrue(ids.size() >= 1 && ids.size() <= 3, r.body());
    for (JsonNode id : ids) {
      assertEquals(1, wb.store.queryLong("SELECT COUNT(*) FROM scores WHERE customer_id = '" + id.asText() + "'"),
          "an example is a scored customer: " + id);
    }
    assertTrue(sim.path("action_counts").has("VIP_PREVIEW"), r.body());

    // the same numbers as the API's what-if of the same model
    ObjectNode api = Json.MAPPER.createObjectNode().put("dmn", platinumFrom(90));
    JsonNode same = json(post("/api/v1/simulations", ANALYST, api));
    assertEquals(same.path("tier_migration"), sim.path("tier_migration"));
    assertEquals(same.path("action_counts"), sim.path("action_counts"));

    HttpResponse<String> broken = post("/workbench/api/simulate", ANALYST, candidate(platinumFrom(90).replace(
        "[80..90)<", "[80..90<")));
    assertEquals(422, broken.statusCode(), broken.body());
    assertFalse(json(broken).path("valid").asBoolean());
    assertEquals(403, post("/workbench/api/simulate", DECIDE, candidate(platinumFrom(90))).statusCode());
  }

  ObjectNode deployment(String dmn, String base, String message) {
    ObjectNode body = candidate(dmn);
    body.put("base", base);
    body.put("message", message);
    return body;
  }

  @Test
  @Order(3)
  void deployNeedsTheDeployRoleAndARefusedRuleSetWritesNothingAndLeavesTheActiveVersion() throws Exception {
    String before = server().rules().active().version();
    String onDisk = Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn"));
    HttpResponse<String> analyst = post("/workbench/api/deploy", ANALYST, deployment(platinumFrom(90), before, "x"));
    assertEquals(403, analyst.statusCode(), analyst.body());
    assertTrue(json(analyst).path("detail").asText().contains("deploy"), analyst.body());
    assertEquals(403, post("/workbench/api/deploy", ADMIN, deployment(platinumFrom(90), before, "x")).statusCode(),
        "an admin key alone does not deploy from the workbench");

    // Platinum from the 85th percentile fails the Gold test cases: refused, nothing written
    HttpResponse<String> refused = post("/workbench/api/deploy", DEPLOYER,
        deployment(platinumFrom(85), before, "Platinum from the 85th percentile"));
    assertEquals(422, refused.statusCode(), refused.body());
    JsonNode o = json(refused);
    assertFalse(o.path("activated").asBoolean());
    assertTrue(o.path("result").asText().startsWith("REFUSED") && o.path("result").asText().contains(before),
        refused.body());
    assertTrue(o.path("failures").size() > 0, refused.body());
    assertEquals(before, server().rules().active().version());
    assertEquals(onDisk, Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn")), "nothing written");

    HttpResponse<String> noMessage = post("/workbench/api/deploy", DEPLOYER, deployment(platinumFrom(90), before, " "));
    assertEquals(400, noMessage.statusCode(), noMessage.body());
    assertEquals("message", json(noMessage).path("field").asText());
  }

  @Test
  @Order(4)
  void deployWritesActivatesAndRecordsWhoAndWhyThenAStaleBaseGets409AndRollbackRestores() throws Exception {
    String before = server().rules().active().version();
    HttpResponse<String> r = post("/workbench/api/deploy", DEPLOYER,
        deployment(platinumFrom(90), before, "Platinum from the top 10%"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode o = json(r);
    assertTrue(o.path("activated").asBoolean(), r.body());
    String deployed = o.path("version").asText();
    assertEquals(deployed, server().rules().active().version());
    assertTrue(Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn")).contains("&gt;= 90<"), "written");
    assertFalse(Files.exists(wb.rules.resolve("dmn/customer-tiering.dmn.tmp")));

    JsonNode versions = json(wb.get("/api/v1/rules/versions", bearer(ADMIN)));
    JsonNode latest = versions.path("activations").path(0);
    assertEquals(deployed, latest.path("version").asText(), versions.toString());
    assertEquals("DEPLOY", latest.path("reason").asText());
    assertEquals("Platinum from the top 10%", latest.path("message").asText());
    String author = latest.path("author").asText();
    assertTrue(author.startsWith("analyst+deploy key ") && author.length() == "analyst+deploy key ".length() + 8,
        author);
    assertFalse(versions.toString().contains(DEPLOYER), "never the key itself");

    // a customer decided now gets the new version
    HttpResponse<String> d = wb.post("/api/v1/decisions", "{\"customer_id\":\"c1\"}", "Authorization", bearer(DECIDE));
    assertEquals(200, d.statusCode(), d.body());
    assertEquals(deployed, json(d).path("rule_set").asText());

    // another analyst who opened the old version
    HttpResponse<String> stale = post("/workbench/api/deploy", DEPLOYER,
        deployment(platinumFrom(92), before, "Platinum from the 92nd"));
    assertEquals(409, stale.statusCode(), stale.body());
    String detail = json(stale).path("detail").asText();
    assertTrue(detail.startsWith("the base changed") && detail.contains(deployed) && detail.contains(author)
        && detail.contains("reload the model"), detail);
    assertEquals(deployed, server().rules().active().version());

    HttpResponse<String> back = post("/workbench/api/rollback", DEPLOYER,
        Json.MAPPER.createObjectNode().put("version", before).put("message", "back to the top 5%"));
    assertEquals(200, back.statusCode(), back.body());
    assertEquals(before, server().rules().active().version());
    assertTrue(Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn")).contains("&gt;= 95<"), "restored");
    JsonNode history = json(wb.get("/workbench/api/history", bearer(ANALYST)));
    assertEquals(before, history.path("active").asText());
    assertEquals("ROLLBACK", history.path("activations").path(0).path("reason").asText(), history.toString());
    assertEquals("back to the top 5%", history.path("activations").path(0).path("message").asText());
    assertEquals(403, post("/workbench/api/rollback", ANALYST,
        Json.MAPPER.createObjectNode().put("version", deployed)).statusCode());
    assertEquals(404, post("/workbench/api/rollback", DEPLOYER,
        Json.MAPPER.createObjectNode().put("version", "abcdef0123")).statusCode());
  }

  @Test
  @Order(5)
  void aPostAuthorizedByBasicMustComeFromTheWorkbenchPage() throws Exception {
    String body = Json.write(candidate(model.path("dmn").asText()));
    HttpResponse<String> forged = wb.post("/workbench/api/validate", body, "Authorization", basic(ANALYST));
    assertEquals(403, forged.statusCode(), forged.body());
    assertEquals("X-Requested-With", json(forged).path("field").asText(), forged.body());
    HttpResponse<String> page = wb.post("/workbench/api/validate", body, "Authorization", basic(ANALYST),
        "X-Requested-With", "valuetier-workbench", "Origin", wb.base);
    assertEquals(200, page.statusCode(), page.body());
    HttpResponse<String> otherSite = wb.post("/workbench/api/validate", body, "Authorization", basic(ANALYST),
        "X-Requested-With", "valuetier-workbench", "Origin", "https://evil.example");
    assertEquals(403, otherSite.statusCode(), otherSite.body());
    String deploy = Json.write(deployment(platinumFrom(90), server().rules().active().version(), "forged"));
    assertEquals(403, wb.post("/workbench/api/deploy", deploy, "Authorization", basic(DEPLOYER)).statusCode());
    assertEquals(server().rules().active().version(), model.path("version").asText(), "the forged deploy did nothing");
    // a Bearer key is never sent by a browser on its own: no page header needed; GET stays open to Basic
    assertEquals(200, wb.post("/workbench/api/validate", body, "Authorization", bearer(ANALYST)).statusCode());
    assertEquals(200, wb.get("/workbench/api/model", basic(ANALYST)).statusCode());
  }

  /** The first customer of the population whose assignment hash puts it with the challenger (or not). */
  static String customer(boolean challenger) {
    for (int i = 0; i < 500; i++) {
      if ((Challenger.unit(SALT, "c" + i) < 0.3) == challenger) {
        return "c" + i;
      }
    }
    throw new AssertionError("no customer " + (challenger ? "with" : "without") + " the challenger");
  }

  JsonNode decide(String customer) throws Exception {
    HttpResponse<String> d = wb.post("/api/v1/decisions", "{\"customer_id\":\"" + customer + "\"}", "Authorization",
        bearer(DECIDE));
    assertEquals(200, d.statusCode(), d.body());
    return json(d);
  }

  ObjectNode asChallenger(String dmn, String base, String message) {
    ObjectNode body = deployment(dmn, base, message);
    body.put("as", "challenger");
    return body;
  }

  @Test
  @Order(6)
  void deployAsChallengerNeedsTheDeployRoleAndARefusedOneWritesNothing() throws Exception {
    JsonNode m = json(wb.get("/workbench/api/model", bearer(DEPLOYER)));
    assertTrue(m.path("challenger_configured").asBoolean(), m.toString());
    assertEquals(0.3, m.path("challenger_share").asDouble());
    assertEquals("decides 30% of the customers", m.path("challenger_decides").asText());
    assertTrue(m.path("challenger").isNull(), "nothing runs from the empty folder: " + m);
    String champion = server().rules().active().version();

    HttpResponse<String> analyst = post("/workbench/api/deploy", ANALYST, asChallenger(platinumFrom(90), champion, "x"));
    assertEquals(403, analyst.statusCode(), analyst.body());
    ObjectNode odd = deployment(platinumFrom(90), champion, "x");
    odd.put("as", "canary");
    HttpResponse<String> bad = post("/workbench/api/deploy", DEPLOYER, odd);
    assertEquals(400, bad.statusCode(), bad.body());
    assertEquals("as", json(bad).path("field").asText(), bad.body());

    // Platinum from the 85th fails the Gold test cases: refused, the folder is not even created
    HttpResponse<String> refused = post("/workbench/api/deploy", DEPLOYER,
        asChallenger(platinumFrom(85), champion, "Platinum from the 85th for some"));
    assertEquals(422, refused.statusCode(), refused.body());
    assertTrue(json(refused).path("result").asText().startsWith("REFUSED"), refused.body());
    assertTrue(json(refused).path("failures").size() > 0, refused.body());
    assertFalse(Files.exists(challengerDir), "nothing written");
    assertTrue(server().rules().challenger().isEmpty());
    assertEquals(champion, server().rules().active().version());
  }

  @Test
  @Order(7)
  void aChallengerDeployDecidesItsShareWhileTheChampionStaysActiveForTheOthersAndInTheHistory() throws Exception {
    String champion = server().rules().active().version();
    String championOnDisk = Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn"));
    HttpResponse<String> r = post("/workbench/api/deploy", DEPLOYER,
        asChallenger(platinumFrom(90), champion, "Platinum from the top 10%, tried on 30%"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode o = json(r);
    assertTrue(o.path("activated").asBoolean(), r.body());
    assertEquals("challenger", o.path("as").asText());
    assertEquals("CHALLENGER", o.path("result").asText());
    assertEquals("decides 30% of the customers", o.path("challenger_decides").asText(), r.body());
    String challenger = o.path("version").asText();
    assertEquals(challenger, o.path("challenger").asText(), r.body());
    assertTrue(Files.readString(challengerDir.resolve("dmn/customer-tiering.dmn")).contains("&gt;= 90<"), "written");
    assertTrue(Files.exists(challengerDir.resolve("dmn/tests/customer-tiering.csv")), "the test tables go with it");
    assertEquals(champion, server().rules().active().version(), "the champion stays active");
    assertEquals(championOnDisk, Files.readString(wb.rules.resolve("dmn/customer-tiering.dmn")));

    JsonNode mine = decide(customer(true));
    assertEquals(challenger, mine.path("rule_set").asText(), mine.toString());
    assertEquals("challenger", mine.path("rule_set_role").asText());
    JsonNode other = decide(customer(false));
    assertEquals(champion, other.path("rule_set").asText(), other.toString());
    assertEquals("champion", other.path("rule_set_role").asText());

    // the history shows the challenger's record; the active version (and a deploy's base) stays the champion
    JsonNode h = json(wb.get("/workbench/api/history", bearer(ANALYST)));
    assertEquals(champion, h.path("active").asText(), h.toString());
    assertEquals(challenger, h.path("challenger").asText(), h.toString());
    JsonNode rec = h.path("activations").path(0);
    assertEquals(challenger, rec.path("version").asText(), h.toString());
    assertEquals("CHALLENGER", rec.path("reason").asText());
    assertEquals("challenger", rec.path("role").asText());
    assertEquals("Platinum from the top 10%, tried on 30%", rec.path("message").asText());
    assertTrue(rec.path("author").asText().startsWith("analyst+deploy key "), rec.toString());
    assertTrue(rec.path("note").asText().startsWith("decides 30% of the customers"), rec.toString());
    RuleSetHistory.Activation active = server().rules().history().active().orElseThrow();
    assertEquals(champion, active.version());
    assertFalse(active.challenger());
    JsonNode versions = json(wb.get("/api/v1/rules/versions", bearer(ADMIN)));
    assertEquals(champion, versions.path("active").asText(), versions.toString());
    assertEquals(challenger, versions.path("challenger").asText(), versions.toString());
    assertEquals("CHALLENGER", versions.path("activations").path(0).path("reason").asText());

    // refused by the gate: the running challenger stays, its files too
    HttpResponse<String> refused = post("/workbench/api/deploy", DEPLOYER,
        asChallenger(platinumFrom(85), champion, "Platinum from the 85th"));
    assertEquals(422, refused.statusCode(), refused.body());
    assertTrue(json(refused).path("result").asText().contains("challenger " + challenger + " stays"), refused.body());
    assertEquals(challenger, server().rules().challenger().orElseThrow().ruleSet().version());
    assertTrue(Files.readString(challengerDir.resolve("dmn/customer-tiering.dmn")).contains("&gt;= 90<"));

    // a stale base is the champion's: 409 as for a deploy as active
    HttpResponse<String> stale = post("/workbench/api/deploy", DEPLOYER,
        asChallenger(platinumFrom(92), "abcdef0123456789", "Platinum from the 92nd"));
    assertEquals(409, stale.statusCode(), stale.body());
    assertEquals(challenger, server().rules().challenger().orElseThrow().ruleSet().version());

    // the champion's base is unaffected by the challenger record: a deploy as active on it passes, Rollback
    // brings the champion back, and the challenger keeps deciding its share through both
    HttpResponse<String> active92 = post("/workbench/api/deploy", DEPLOYER,
        deployment(platinumFrom(92), champion, "Platinum from the 92nd for everyone"));
    assertEquals(200, active92.statusCode(), active92.body());
    String newChampion = json(active92).path("version").asText();
    assertEquals(newChampion, server().rules().history().active().orElseThrow().version());
    HttpResponse<String> back = post("/workbench/api/rollback", DEPLOYER,
        Json.MAPPER.createObjectNode().put("version", champion).put("message", "back"));
    assertEquals(200, back.statusCode(), back.body());
    assertEquals(champion, server().rules().active().version());
    assertEquals(challenger, decide(customer(true)).path("rule_set").asText());
    assertEquals(champion, decide(customer(false)).path("rule_set").asText());
  }

  @Test
  @Order(8)
  void withoutAChallengerFolderTheModelSaysSoAndADeployAsChallengerNamesTheSettingToSet() throws Exception {
    try (WorkbenchServer plain = new WorkbenchServer("workbench-no-challenger", 0)) {
      JsonNode m = Json.MAPPER.readTree(plain.get("/workbench/api/model", bearer(DEPLOYER)).body());
      assertFalse(m.path("challenger_configured").asBoolean(), m.toString());
      ObjectNode body = Json.MAPPER.createObjectNode().put("file", m.path("file").asText())
          .put("dmn", m.path("dmn").asText()).put("base", m.path("version").asText()).put("message", "try on some")
          .put("as", "challenger");
      HttpResponse<String> r = plain.post("/workbench/api/deploy", Json.write(body), "Authorization", bearer(DEPLOYER));
      assertEquals(409, r.statusCode(), r.body());
      assertEquals("as", json(r).path("field").asText(), r.body());
      assertTrue(json(r).path("detail").asText().contains(Challenger.DIR_KEY)
          && json(r).path("detail").asText().contains(Challenger.SHARE_KEY), r.body());
      assertEquals(1, plain.server.rules().history().activations().size(), "nothing deployed");
    }
  }
}
