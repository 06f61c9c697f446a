package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/ingest-transaction-events.camel.yaml} on the real embedded HTTP server and H2 store, with the real
 * event bean (its key check admits every caller: keys are the API's concern). {@code mock:answered} at the route's end
 * sees each answer. Checked: an event is accepted and stored, a verb other than POST never reaches the route, and a
 * failing step is retried, then the request is dead-lettered and the caller told to retry (503).
 */
class IngestTransactionEventsRouteTest {
  private static final String EVENT =
      "{\"order_id\":\"W1\",\"customer_id\":\"77\",\"order_date\":\"2026-11-20 10:00:00\",\"product_id\":\"SKU9\","
          + "\"quantity\":3,\"unit_price\":4.5,\"currency\":\"EUR\",\"country\":\"Germany\"}";

  @TempDir Path work;
  private Store store;
  private Settings settings;
  private int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void open() {
    port = RouteKit.freePort();
    settings = RouteKit.settings(work, Map.of("valuetier.http.port", String.valueOf(port)));
    store = Stores.open(settings);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RouteHost start(AtomicInteger failures) {
    TransactionEventIngest events = new TransactionEventIngest(new IngestStore(store),
        () -> CleaningRules.from(settings, LocalDateTime.now()), exchange -> true);
    return RouteKit.start(settings, Map.of("transactionEventIngest", events), Set.of("ingest-transaction-events"), true,
        ctx -> {
          RouteKit.watchDeadLetters(ctx);
          RouteKit.advise(ctx, "ingest-transaction-events", a -> {
            if (failures != null) {
              a.weaveByToString("Bean[ref:transactionEventIngest method:accept]").before().process(e -> {
                failures.incrementAndGet();
                throw new IllegalStateException("the database is restarting");
              });
            }
            a.weaveAddLast().to("mock:answered");
          });
        });
  }

  private HttpResponse<String> send(String method, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events/transactions"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPostedEventIsStoredAndOtherVerbsNeverReachTheRoute() throws Exception {
    try (RouteHost host = start(null)) {
      MockEndpoint answered = RouteKit.mock(host, "answered");
      answered.expectedMessageCount(1);
      answered.expectedHeaderReceived(Exchange.HTTP_RESPONSE_CODE, 202);

      assertEquals(202, send("POST", EVENT).statusCode());
      assertEquals(405, send("GET", null).statusCode(), "POST only");
      assertEquals(405, send("PUT", EVENT).statusCode(), "POST only");

      answered.assertIsSatisfied();
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM transactions WHERE customer_id = '77'"));
      assertTrue(RouteKit.deadLetterFiles(work).isEmpty());
    }
  }

  @Test
  void aFailingStepIsRetriedThenTheRequestIsKeptAndTheCallerToldToRetry() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    try (RouteHost host = start(failures)) {
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      MockEndpoint answered = RouteKit.mock(host, "answered");
      dead.expectedMessageCount(1);
      answered.expectedMessageCount(0);

      HttpResponse<String> r = send("POST", EVENT);

      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("the database is restarting"), r.body());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
      MockEndpoint.assertIsSatisfied(dead, answered);
      assertEquals(1 + RouteKit.REDELIVERIES, failures.get(), "the first try and the retries");
      assertEquals(EVENT, Files.readString(RouteKit.deadLetterFiles(work).getFirst()), "the request is kept");
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM transactions"));
    }
  }
}
