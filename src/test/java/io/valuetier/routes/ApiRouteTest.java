package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/api.camel.yaml} on the real embedded HTTP server: every REST operation reaches the resource bean and
 * method its path and verb name, with the raw body, the caller's headers and the path parameter. The beans are
 * replaced by {@code mock:api} (they are tested with the whole server in ApiOnH2Test): here only the route
 * file's mapping is under test.
 */
class ApiRouteTest {
  @TempDir Path work;

  private static final String BEAN = "apiBean";

  @Test
  void everyOperationReachesTheBeanMethodItsPathAndVerbName() throws Exception {
    int port = RouteKit.freePort();
    Settings s = RouteKit.settings(work, Map.of("valuetier.http.port", String.valueOf(port)));
    List<String> advised = new ArrayList<>();
    try (RouteHost host = RouteKit.start(s, Map.of(), Set.of("api"), true, ctx -> {
      for (RouteDefinition r : List.copyOf(((ModelCamelContext) ctx).getRouteDefinitions())) {
        String uri = r.getOutputs().stream().filter(ToDefinition.class::isInstance).map(o -> ((ToDefinition) o).getUri())
            .filter(u -> u.startsWith("bean:")).findFirst().orElse(null);
        if (uri != null) {
          advised.add(r.getRouteId());
          RouteKit.advise(ctx, r.getRouteId(), a -> a.weaveByToUri("bean:*").replace()
              .setHeader(BEAN, a.constant(uri)).to("mock:api"));
        }
      }
    })) {
      assertEquals(12, advised.size(), "the REST operations of api.camel.yaml: " + advised);
      MockEndpoint api = RouteKit.mock(host, "api");
      api.whenAnyExchangeReceived(e -> {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        e.getMessage().setBody("answered by " + e.getMessage().getHeader(BEAN));
      });
      api.expectedMessageCount(12);
      api.expectedHeaderValuesReceivedInAnyOrder(BEAN,
          "bean:decisionsApi?method=decide", "bean:rulesApi?method=simulate", "bean:rulesApi?method=reload", "bean:rulesApi?method=rollback",
          "bean:operationsApi?method=erase", "bean:decisionsApi?method=latest", "bean:rulesApi?method=versions",
          "bean:rulesApi?method=comparison", "bean:modelsApi?method=models", "bean:operationsApi?method=openapi",
          "bean:operationsApi?method=health", "bean:operationsApi?method=metrics");

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + port;
      String body = "{\"customer_id\":\"42\",\"note\":\"é\"}";
      HttpResponse<String> decided = send(http, "POST", base + "/api/v1/decisions", body);
      assertEquals(200, decided.statusCode());
      assertEquals("answered by bean:decisionsApi?method=decide", decided.body());
      for (String path : List.of("/simulations", "/rules/reload", "/rules/rollback", "/customers/erasures")) {
        assertEquals(200, send(http, "POST", base + "/api/v1" + path, "{}").statusCode(), path);
      }
      for (String path : List.of("/customers/42/decision", "/rules/versions", "/rules/comparison", "/models",
          "/openapi.json")) {
        assertEquals(200, send(http, "GET", base + "/api/v1" + path, null).statusCode(), path);
      }
      HttpResponse<String> health = send(http, "GET", base + "/health", null);
      assertEquals("answered by bean:operationsApi?method=health", health.body(), "operations sit outside /api/v1");
      assertEquals(200, send(http, "GET", base + "/metrics", null).statusCode());

      api.assertIsSatisfied(5000);
      Exchange decide = api.getReceivedExchanges().getFirst();
      assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), decide.getMessage().getBody(byte[].class),
          "binding mode off: the bean gets the bytes as posted");
      assertEquals("Bearer k-1", decide.getMessage().getHeader("Authorization"), "the key reaches the bean");
      Exchange latest = api.getReceivedExchanges().stream()
          .filter(e -> "bean:decisionsApi?method=latest".equals(e.getMessage().getHeader(BEAN))).findFirst().orElseThrow();
      assertEquals("42", latest.getMessage().getHeader("id"), "the path parameter {id}");

      api.reset();
      api.expectedMessageCount(0);
      int wrongVerb = send(http, "GET", base + "/api/v1/decisions", null).statusCode();
      assertTrue(wrongVerb == 404 || wrongVerb == 405, "a decision is only posted: " + wrongVerb);
      assertEquals(404, send(http, "POST", base + "/api/v1/nothing-here", "{}").statusCode());
      api.assertIsSatisfied();
    }
  }

  private static HttpResponse<String> send(HttpClient http, String method, String uri, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer k-1")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
