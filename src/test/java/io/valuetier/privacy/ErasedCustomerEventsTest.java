package io.valuetier.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transaction event of an erased customer, posted to the events route, is refused as ERASED and not kept. */
class ErasedCustomerEventsTest {
  @TempDir Path work;

  private static String event(String order, String customer) {
    return "{\"order_id\":\"" + order + "\",\"customer_id\":\"" + customer + "\",\"order_date\":\"2026-11-20 10:00:00\","
        + "\"product_id\":\"SKU9\",\"quantity\":3,\"unit_price\":4.5,\"currency\":\"EUR\",\"country\":\"Germany\"}";
  }

  @Test
  void anEventOfAnErasedCustomerGets422ErasedAndNothingOfItIsStored() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of("valuetier.http.port", String.valueOf(port)));
    try (Store store = Stores.open(s);
        RouteHost host = RouteHost.start(s,
            Map.of("transactionEventIngest",
                new TransactionEventIngest(new IngestStore(store), () -> CleaningRules.from(s, LocalDateTime.now()),
                    exchange -> true), // the route alone, without the server's key check
                "deadLetters", new DeadLetters()),
            Set.of("ingest-transaction-events"), true)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertEquals(202, post(http, port, event("E1", "EV-501")).statusCode());
      CustomerErasure.of(s, store).forget(List.of("EV-501"));

      HttpResponse<String> refused = post(http, port, event("E2", "EV-501"));
      assertEquals(422, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("\"reason\":\"ERASED\""), refused.body());
      assertEquals(202, post(http, port, event("E3", "EV-502")).statusCode(), "other customers are taken in");
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM transactions"));
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE reason_code = 'ERASED'"));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE original_text LIKE '%EV-501%'"));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM customers WHERE customer_id = 'EV-501'"));
    }
  }

  private static HttpResponse<String> post(HttpClient http, int port, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events/transactions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
