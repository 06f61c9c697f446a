package io.valuetier.api;

import static io.valuetier.api.WorkbenchServer.ANALYST;
import static io.valuetier.api.WorkbenchServer.DECIDE;
import static io.valuetier.api.WorkbenchServer.DEPLOYER;
import static io.valuetier.api.WorkbenchServer.basic;
import static io.valuetier.api.WorkbenchServer.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.testing.DevTools;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The analyst workbench of {@code serve} in headless Chromium, as an analyst with a deploy key uses it: the page opens
 * the Apache KIE DMN editor on the active model with no console error and no request to another machine; a broken cell
 * is reported by Validate with its decision, row and column; a threshold changed through the editor's API fails a test
 * case (Test shows expected against actual), moves customers between tiers (Simulate shows the same numbers as the
 * API), and once it passes is deployed (a decision then uses the new version), rolled back from the history, and
 * deployed as the challenger of 10% of the customers.
 * Screenshots of each step go to target/workbench/ (docs/workbench-*.png are copies of them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkbenchBrowserTest {
  private WorkbenchServer wb;

  @BeforeAll
  void start() throws Exception {
    // with a challenger folder (empty at the start) deciding 10% of the customers: the page offers Deploy as challenger
    wb = new WorkbenchServer("workbench-browser", 400, Map.of("valuetier.decide.challenger.dir",
        Files.createTempDirectory("valuetier-workbench-browser-challenger").resolve("challenger").toString(),
        "valuetier.decide.challenger.share", "0.1"));
  }

  @AfterAll
  void stop() {
    wb.close();
  }

  @Test
  void theWorkbenchAsksABrowserForAnAnalystKeyAndServesOnlyItsOwnFiles() throws Exception {
    HttpResponse<String> none = wb.get("/workbench", null);
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), "a browser must ask");
    assertEquals(401, wb.get("/workbench/assets/dmn-editor-standalone.js", basic("not-a-key")).statusCode());
    assertEquals(403, wb.get("/workbench/api/model", bearer(DECIDE)).statusCode(), "a decide key is not an analyst's");
    assertEquals(404, wb.get("/workbench/assets/index.html.bak", basic(ANALYST)).statusCode());
    // an unknown file without a key: 401, not the 404 that lists the page's files
    assertEquals(401, wb.get("/workbench/assets/index.html.bak", basic("not-a-key")).statusCode());
    assertEquals(401, wb.get("/api/v1/models", basic(ANALYST)).statusCode(), "the API itself keeps to Bearer keys");
    HttpResponse<String> model = wb.get("/workbench/api/model", bearer(ANALYST));
    assertEquals(200, model.statusCode(), model.body());
    JsonNode m = Json.MAPPER.readTree(model.body());
    assertEquals("dmn/customer-tiering.dmn", m.path("file").asText());
    assertEquals(wb.server.rules().active().version(), m.path("version").asText());
    assertTrue(m.path("dmn").asText().contains("name=\"Value Tier\""));
    assertTrue(m.path("tests").toString().contains("dmn/tests/customer-tiering.csv"), m.path("tests").toString());
    assertTrue(m.path("test_tables").path("dmn/tests/customer-tiering.csv").asText().startsWith("Case,"));
    assertFalse(m.path("can_deploy").asBoolean(), "an analyst key alone is not offered Deploy");
    assertTrue(Json.MAPPER.readTree(wb.get("/workbench/api/model", bearer(DEPLOYER)).body()).path("can_deploy")
        .asBoolean());
  }

  @Test
  void anAnalystValidatesTestsSimulatesDeploysAndRollsBackAThresholdChangedInTheEditor() throws Exception {
    Path shots = TestStores.home().resolve("target/workbench");
    String before = wb.server.rules().active().version();
    try (DevTools chromium = DevTools.start(wb.work, 1600, 1000)) {
      chromium.open(wb.base + "/workbench", Map.of("Authorization", basic(DEPLOYER)));
      chromium.waitFor("window.workbench && window.workbench.ready", Duration.ofSeconds(240));
      // the editor draws the diagram in its frame once the model is loaded
      chromium.waitFor("document.querySelector('#editor iframe')?.contentDocument?.querySelector('svg, canvas')",
          Duration.ofSeconds(60));
      Thread.sleep(1000);
      chromium.screenshot(shots.resolve("workbench-editor.png"));
      String saved = chromium.eval("workbench.editor.getContent()").asText();
      assertTrue(saved.contains("https://www.omg.org/spec/DMN/20240513/MODEL/"), "the editor works in DMN 1.6");
      assertTrue(saved.contains("&gt;= 95<") && saved.contains("[80..95)<"), "the thresholds moved in the editor");

      // Validate: a threshold changed through the editor (Platinum from the top 10%, Gold ends there) is valid
      String platinumAt90 = saved.replace("&gt;= 95<", "&gt;= 90<").replace("[80..95)<", "[80..90)<");
      JsonNode valid = press(chromium, platinumAt90, "validate", "lastValidation");
      assertTrue(valid.path("valid").asBoolean(), valid.toString());
      assertEquals("valid", chromium.eval("document.getElementById('status').textContent").asText());
      // a broken cell: the Gold range loses its closing bracket
      JsonNode refused = press(chromium, saved.replace("[80..95)<", "[80..95<"), "validate", "lastValidation");
      chromium.screenshot(shots.resolve("workbench-validate.png"));
      assertFalse(refused.path("valid").asBoolean(), refused.toString());
      boolean named = false;
      for (JsonNode msg : refused.path("messages")) {
        named |= "error".equals(msg.path("severity").asText()) && "Value Tier".equals(msg.path("decision").asText())
            && msg.path("row").asInt() == 5 && "Value Percentile".equals(msg.path("column").asText());
      }
      assertTrue(named, "no error names Value Tier, row 5, Value Percentile: " + refused);
      String table = chromium.eval("document.querySelector('#messages tbody').innerText").asText();
      assertTrue(table.contains("Value Tier") && table.contains("Value Percentile"), table);

      // Test: Platinum from the 85th percentile turns the Gold cases at the 88th into Platinum
      String platinumAt85 = saved.replace("&gt;= 95<", "&gt;= 85<").replace("[80..95)<", "[80..85)<");
      JsonNode tested = press(chromium, platinumAt85, "test", "lastTest");
      assertFalse(tested.path("passed").asBoolean(), tested.toString());
      String results = chromium.eval("document.getElementById('results').innerText").asText();
      assertTrue(results.contains("FAILED") && results.contains("Value Tier: expected Gold, actual Platinum"), results);
      chromium.screenshot(shots.resolve("workbench-test.png"));

      // Simulate the change that passes: the page's matrix shows the numbers the API gives for the same model
      JsonNode simulated = press(chromium, platinumAt90, "simulate", "lastSimulation");
      long goldToPlatinum = simulated.path("tier_migration").path("Gold").path("Platinum").asLong();
      assertTrue(goldToPlatinum > 0, simulated.toString());
      String cell = chromium.eval("document.querySelector('#matrix td[data-from=\"Gold\"][data-to=\"Platinum\"]"
          + " .count').textContent").asText();
      assertEquals(String.valueOf(goldToPlatinum), cell);
      JsonNode api = Json.MAPPER.readTree(wb.post("/api/v1/simulations",
          Json.write(Map.of("dmn", platinumAt90)), "Authorization", bearer(ANALYST)).body());
      assertEquals(api.path("tier_migration"), simulated.path("tier_migration"));
      assertEquals(api.path("action_changes").asLong(), simulated.path("action_changes").asLong());
      chromium.screenshot(shots.resolve("workbench-simulate.png"));

      // Deploy, with a message; a decision made now uses the new version
      chromium.eval("document.getElementById('message').value = 'Platinum from the top 10%'; true");
      JsonNode deployed = press(chromium, platinumAt90, "deploy", "lastDeploy");
      assertEquals(200, deployed.path("status").asInt(), deployed.toString());
      String version = deployed.path("version").asText();
      assertEquals(version, wb.server.rules().active().version());
      chromium.waitFor("workbench.model.version === '" + version + "'", Duration.ofSeconds(30));
      JsonNode decision = Json.MAPPER.readTree(wb.post("/api/v1/decisions", "{\"customer_id\":\"c1\"}",
          "Authorization", bearer(DECIDE)).body());
      assertEquals(version, decision.path("rule_set").asText(), decision.toString());
      String history = chromium.eval("document.querySelector('#history tbody').innerText").asText();
      assertTrue(history.contains(version) && history.contains("DEPLOY") && history.contains("Platinum from the top 10%")
          && history.contains("analyst+deploy key "), history);
      chromium.screenshot(shots.resolve("workbench-deploy.png"));

      // Rollback from the history: the first version is active again and back in the editor
      chromium.eval("workbench.lastRollback = null; document.querySelector('#history button[data-version=\""
          + before + "\"]').click(); true");
      chromium.waitFor("workbench.lastRollback !== null && workbench.model.version === '" + before + "'",
          Duration.ofSeconds(60));
      assertTrue(chromium.eval("workbench.lastRollback.activated").asBoolean());
      assertEquals(before, wb.server.rules().active().version());
      assertTrue(chromium.eval("workbench.editor.getContent()").asText().contains("&gt;= 95<"), "the editor has it");
      Thread.sleep(500);
      chromium.screenshot(shots.resolve("workbench-rollback.png"));

      // Deploy as challenger: the same edit decides 10% of the customers; the champion stays active
      assertEquals("Deploy as challenger (10% of the customers)",
          chromium.eval("document.getElementById('deploy-challenger').textContent").asText());
      chromium.eval("document.getElementById('message').value = 'Platinum from the top 10%, on 10%'; true");
      JsonNode challenger = press(chromium, platinumAt90, "deploy-challenger", "lastDeploy");
      assertEquals(200, challenger.path("status").asInt(), challenger.toString());
      assertEquals("challenger", challenger.path("as").asText(), challenger.toString());
      assertEquals(challenger.path("version").asText(), wb.server.rules().challenger().orElseThrow().ruleSet().version());
      assertEquals(before, wb.server.rules().active().version());
      chromium.waitFor("workbench.history.challenger === '" + challenger.path("version").asText() + "'",
          Duration.ofSeconds(30));
      String withChallenger = chromium.eval("document.querySelector('#history tbody tr.challenger').innerText").asText();
      assertTrue(withChallenger.contains("CHALLENGER") && withChallenger.contains("on 10%"), withChallenger);
      chromium.screenshot(shots.resolve("workbench-challenger.png"));

      List<String> offMachine = chromium.requests().stream()
          .filter(u -> !u.startsWith(wb.base + "/") && !u.startsWith("data:") && !u.startsWith("blob:")
              && !u.startsWith("about:"))
          .toList();
      assertEquals(List.of(), offMachine, "requests that left the machine");
      assertTrue(chromium.requests().contains(wb.base + "/workbench/assets/dmn-editor-standalone.js"));
      assertEquals(List.of(), chromium.errors(), "console errors, exceptions or failed loads");
    }
  }

  /** Puts {@code dmn} into the editor through its API, presses a button and returns what the page kept of it. */
  private static JsonNode press(DevTools chromium, String dmn, String button, String kept) throws Exception {
    chromium.eval("workbench." + kept + " = null; workbench.editor.setContent(workbench.model.file, "
        + Json.write(dmn) + ").then(() => true)");
    chromium.eval("document.getElementById('" + button + "').click(); true");
    chromium.waitFor("workbench." + kept + " !== null", Duration.ofSeconds(120));
    return chromium.eval("workbench." + kept);
  }
}
