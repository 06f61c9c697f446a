package io.valuetier.api;

import static io.valuetier.api.WorkbenchServer.ANALYST;
import static io.valuetier.api.WorkbenchServer.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valuetier.util.Json;
import java.net.http.HttpResponse;
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
 * and the protection of Basic-authorized POSTs against other sites' pages. Ordered: Deploy and Rollback change the
 * active version that the later tests start from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchApiTest {
  private WorkbenchServer wb;
  private JsonNode model;

  @BeforeAll
  void start() throws Exception {
    wb = new WorkbenchServer("workbench-api", 1500);
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
}
