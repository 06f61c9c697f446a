package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code valuetier.http.worker-threads} bounds how many requests run at once on the real embedded HTTP server: with 2
 * threads, three requests that would all wait for each other inside the route never run three at a time (the third
 * waits for a thread), and each is still answered; with more threads, all three are inside at once.
 */
class HttpWorkerThreadsTest {
  @TempDir Path work;

  @Test
  void twoWorkerThreadsRunAtMostTwoRequestsAtOnce() throws Exception {
    assertEquals(2, mostAtOnce(2));
  }

  @Test
  void moreWorkerThreadsLetThemAllIn() throws Exception {
    assertEquals(3, mostAtOnce(8));
  }

  /**
   * Sends three requests at once; inside the route each waits (at most 2 s) until three are inside together, so the
   * most seen at once is 3 when the pool lets them in and the pool's size otherwise.
   */
  private int mostAtOnce(int workerThreads) throws Exception {
    int port = RouteKit.freePort();
    Settings settings = RouteKit.settings(work, Map.of(
        "valuetier.http.port", String.valueOf(port), "valuetier.http.worker-threads", String.valueOf(workerThreads)));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch allThree = new CountDownLatch(3);
    try (Store store = Stores.open(settings)) {
      TransactionEventIngest events = new TransactionEventIngest(new IngestStore(store),
          () -> CleaningRules.from(settings, LocalDateTime.now()), exchange -> true);
      try (RouteHost host = RouteKit.start(settings, Map.of("transactionEventIngest", events),
          Set.of("ingest-transaction-events"), true,
          ctx -> RouteKit.advise(ctx, "ingest-transaction-events",
              a -> a.weaveByToString("Bean[ref:transactionEventIngest method:accept]").before().process(e -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                allThree.countDown();
                allThree.await(2, TimeUnit.SECONDS);
                inside.decrementAndGet();
              })))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String event = "{\"order_id\":\"T" + i + "\",\"customer_id\":\"7" + i + "\",\"order_date\":\"2026-11-20"
              + " 10:00:00\",\"product_id\":\"SKU9\",\"quantity\":1,\"unit_price\":4.5,\"currency\":\"EUR\"}";
          answers.add(http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events/transactions"))
                  .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(event)).build(),
              HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
          HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
          assertEquals(2, r.statusCode() / 100, r.body());
        }
      }
    }
    return most.get();
  }
}
