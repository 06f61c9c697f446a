package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.ProductIngest;
import io.valuetier.ingest.RecordIngest;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/ingest-products-file.camel.yaml} with the real ingest bean on an H2 store, in slices of 10 records:
 * {@code mock:cleaned} and {@code mock:stored} see each slice in order, {@code mock:done} the report; the catalogue's
 * in-stock flags land in {@code products}; a bad flag or price is rejected with its column and value; a watched folder
 * in place of {@code direct:}; a file without {@code product_id} refused without retries or dead letter.
 */
class IngestProductsFileRouteTest {
  @TempDir Path work;
  private Store store;
  private Settings settings;

  @BeforeEach
  void open() {
    settings = RouteKit.settings(work, Map.of());
    store = Stores.open(settings);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RouteHost start(ThrowingConsumer<AdviceWithRouteBuilder, Exception> more) {
    return RouteKit.start(settings, Map.of("productIngest", new ProductIngest(new IngestStore(store), 10, 20, 1 << 20)),
        Set.of("ingest-products-file"), false, ctx -> {
          RouteKit.watchDeadLetters(ctx);
          RouteKit.advise(ctx, "ingest-products-file", a -> {
            a.weaveByToString("Bean[ref:productIngest method:clean]").after().to("mock:cleaned");
            a.weaveByToString("Bean[ref:productIngest method:store]").after().to("mock:stored");
            a.weaveAddLast().to("mock:done");
            more.accept(a);
          });
        });
  }

  /** {@code n} products; every fourth out of stock; the third has the flag "perhaps", the fifth a price "cheap". */
  private Path catalogue(String name, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("product_id,description,unit_price,in_stock");
    for (int i = 1; i <= n; i++) {
      String stock = i == 3 ? "perhaps" : i % 4 == 0 ? "no" : "yes";
      lines.add("P" + i + ",\"MUG, BLUE " + i + "\"," + (i == 5 ? "cheap" : "2.5" + i) + "," + stock);
    }
    Path f = work.resolve(name);
    Files.write(f, lines);
    return f;
  }

  @Test
  void eachSliceIsCleanedThenStoredAndTheStockFlagsLandInTheCatalogue() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint cleaned = RouteKit.mock(host, "cleaned");
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint done = RouteKit.mock(host, "done");
      cleaned.expectedMessageCount(3);
      stored.expectedMessageCount(3);
      done.expectedMessageCount(1);

      host.template().sendBodyAndHeader("direct:ingest-products", null, RecordIngest.HEADER_FILE,
          catalogue("products.csv", 24).toString());

      MockEndpoint.assertIsSatisfied(cleaned, stored, done);
      IngestReport r = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
      assertEquals("COMPLETED", r.status());
      assertEquals(24, r.read());
      assertEquals(22, r.accepted());
      assertEquals(Map.of("BAD_FLAG", 1L, "BAD_PRICE", 1L), Map.copyOf(r.rejectedByReason()));
      assertEquals(22, store.queryLong("SELECT COUNT(*) FROM products"));
      assertEquals(6, store.queryLong("SELECT COUNT(*) FROM products WHERE in_stock = FALSE"));
      assertEquals("MUG, BLUE 8", store.queryString("SELECT description FROM products WHERE product_id = 'P8'"));
      assertEquals("in_stock", store.queryString("SELECT column_name FROM rejected_records WHERE bad_value = 'perhaps'"));
    }
  }

  @Test
  void aFileDroppedInAWatchedFolderIsIngestedAndMovedAway() throws Exception {
    Path inbox = Files.createDirectories(work.resolve("inbox"));
    try (RouteHost host = start(
        a -> a.replaceFromWith("file:" + inbox + "?move=.done&initialDelay=0&delay=50&readLock=none"))) {
      NotifyBuilder ingested = new NotifyBuilder(host.context()).fromRoute("ingest-products-file").whenDone(1)
          .create();
      Files.move(catalogue("dropped.csv", 2), inbox.resolve("dropped.csv"));
      assertTrue(ingested.matches(10, TimeUnit.SECONDS), "the dropped file was picked up");
      assertTrue(RouteKit.appears(inbox.resolve(".done/dropped.csv")));
      assertEquals(2, store.queryLong("SELECT COUNT(*) FROM products"));
    }
  }

  @Test
  void aFileWithoutTheProductHeaderIsRefusedAtOnce() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint cleaned = RouteKit.mock(host, "cleaned");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      cleaned.expectedMessageCount(0);
      dead.expectedMessageCount(0);
      Path wrong = work.resolve("orders.csv");
      Files.write(wrong, List.of("order_id,quantity", "A1,2"));

      Exchange ex = host.template().send("direct:ingest-products",
          e -> e.getMessage().setHeader(RecordIngest.HEADER_FILE, wrong.toString()));

      MockEndpoint.assertIsSatisfied(cleaned, dead);
      assertInstanceOf(IngestException.class, ex.getException());
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM products"));
    }
  }
}
