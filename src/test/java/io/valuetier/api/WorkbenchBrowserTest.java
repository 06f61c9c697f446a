package io.valuetier.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.DevTools;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The analyst workbench of {@code serve} in headless Chromium: the page opens the Apache KIE DMN editor on the active
 * model with no console error and no request to another machine; a threshold changed through the editor's API
 * validates, and a broken cell is reported by Validate with its decision, row and column. Screenshots go to
 * target/workbench/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkbenchBrowserTest {
  private static final String ANALYST = "workbench-analyst-key-0001";
  private static final String DECIDE = "workbench-decide-key-00002";

  private Path work;
  private Store store;
  private ApiServer server;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("valuetier-workbench");
    Path registry = work.resolve("models");
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), registry);
    int port = TestStores.freePort();
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.http.port", String.valueOf(port));
    m.put("valuetier.api.keys.analyst", ANALYST);
    m.put("valuetier.api.keys.decide", DECIDE);
    m.put("valuetier.api.watch-rules", "false");
    m.put("valuetier.model.registry-dir", registry.toString());
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    store = Stores.open(s);
    server = ApiServer.start(s, store);
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString(("analyst:" + key).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theWorkbenchAsksABrowserForAnAnalystKeyAndServesOnlyItsOwnFiles() throws Exception {
    HttpResponse<String> none = get("/workbench", null);
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), "a browser must ask");
    assertEquals(401, get("/workbench/assets/dmn-editor-standalone.js", basic("not-a-key")).statusCode());
    assertEquals(403, get("/workbench/api/model", "Bearer " + DECIDE).statusCode(), "a decide key is not an analyst's");
    assertEquals(404, get("/workbench/assets/index.html.bak", basic(ANALYST)).statusCode());
    // an unknown file without a key: 401, not the 404 that lists the page's files
    assertEquals(401, get("/workbench/assets/index.html.bak", basic("not-a-key")).statusCode());
    assertEquals(401, get("/api/v1/models", basic(ANALYST)).statusCode(), "the API itself keeps to Bearer keys");
    HttpResponse<String> model = get("/workbench/api/model", "Bearer " + ANALYST);
    assertEquals(200, model.statusCode(), model.body());
    JsonNode m = Json.MAPPER.readTree(model.body());
    assertEquals("dmn/customer-tiering.dmn", m.path("file").asText());
    assertEquals(server.rules().active().version(), m.path("version").asText());
    assertTrue(m.path("dmn").asText().contains("name=\"Value Tier\""));
    assertTrue(m.path("tests").toString().contains("dmn/tests/customer-tiering.csv"), m.path("tests").toString());
  }

  @Test
  void theEditorOpensTheActiveModelAndValidateNamesTheDecisionRowAndColumnOfABrokenCell() throws Exception {
    Path shots = TestStores.home().resolve("target/workbench");
    try (DevTools chromium = DevTools.start(work, 1600, 1000)) {
      chromium.open(base + "/workbench", Map.of("Authorization", basic(ANALYST)));
      chromium.waitFor("window.workbench && window.workbench.ready", Duration.ofSeconds(240));
      // the editor draws the diagram in its frame once the model is loaded
      chromium.waitFor("document.querySelector('#editor iframe')?.contentDocument?.querySelector('svg, canvas')",
          Duration.ofSeconds(60));
      Thread.sleep(1000);
      chromium.screenshot(shots.resolve("1-editor.png"));
      String saved = chromium.eval("workbench.editor.getContent()").asText();
      assertTrue(saved.contains("https://www.omg.org/spec/DMN/20240513/MODEL/"), "the editor works in DMN 1.6");
      assertTrue(saved.contains("Value Tier"));

      // a threshold changed through the editor: Platinum from the top 5% to the top 10%, Gold ends there
      assertTrue(saved.contains("&gt;= 95<") && saved.contains("[80..95)<"), "the thresholds moved in the editor");
      String platinumAt90 = saved.replace("&gt;= 95<", "&gt;= 90<").replace("[80..95)<", "[80..90)<");
      JsonNode valid = editAndValidate(chromium, platinumAt90);
      assertTrue(valid.path("valid").asBoolean(), valid.toString());
      assertEquals(0, valid.path("errors").asInt());
      assertEquals("valid", chromium.eval("document.getElementById('status').textContent").asText());

      // a broken cell: the Gold range loses its closing bracket
      JsonNode refused = editAndValidate(chromium, saved.replace("[80..95)<", "[80..95<"));
      chromium.screenshot(shots.resolve("2-validate.png"));
      assertFalse(refused.path("valid").asBoolean(), refused.toString());
      boolean named = false;
      for (JsonNode msg : refused.path("messages")) {
        named |= "error".equals(msg.path("severity").asText()) && "Value Tier".equals(msg.path("decision").asText())
            && msg.path("row").asInt() == 5 && "Value Percentile".equals(msg.path("column").asText());
      }
      assertTrue(named, "no error names Value Tier, row 5, Value Percentile: " + refused);
      String table = chromium.eval("document.querySelector('#messages tbody').innerText").asText();
      assertTrue(table.contains("Value Tier") && table.contains("Value Percentile"), table);
      assertEquals(server.rules().active().version(), chromium.eval("workbench.model.version").asText(),
          "Validate saves nothing: the active rule set is unchanged");

      List<String> offMachine = chromium.requests().stream()
          .filter(u -> !u.startsWith(base + "/") && !u.startsWith("data:") && !u.startsWith("blob:")
              && !u.startsWith("about:"))
          .toList();
      assertEquals(List.of(), offMachine, "requests that left the machine");
      assertTrue(chromium.requests().contains(base + "/workbench/assets/dmn-editor-standalone.js"));
      assertEquals(List.of(), chromium.errors(), "console errors, exceptions or failed loads");
    }
  }

  /** Puts {@code dmn} into the editor through its API, presses Validate and returns the page's validation. */
  private static JsonNode editAndValidate(DevTools chromium, String dmn) throws Exception {
    chromium.eval("workbench.lastValidation = null; workbench.editor.setContent(workbench.model.file, "
        + Json.write(dmn) + ").then(() => true)");
    chromium.eval("document.getElementById('validate').click(); true");
    chromium.waitFor("workbench.lastValidation !== null", Duration.ofSeconds(60));
    return chromium.eval("workbench.lastValidation");
  }
}
