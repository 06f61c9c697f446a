package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.CustomerIngest;
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
 * {@code routes/ingest-customers-file.camel.yaml} with the real ingest bean on an H2 store, in slices of 10 records:
 * {@code mock:cleaned} after the clean step and {@code mock:stored} after the store step see each slice, in order;
 * {@code mock:done} sees the report. Also: a watched folder in place of {@code direct:} and a file without the
 * customer header refused without retries or dead letter.
 */
class IngestCustomersFileRouteTest {
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
    return RouteKit.start(settings, Map.of("customerIngest", new CustomerIngest(new IngestStore(store), 10, 20, 1 << 20)),
        Set.of("ingest-customers-file"), false, ctx -> {
          RouteKit.watchDeadLetters(ctx);
          RouteKit.advise(ctx, "ingest-customers-file", a -> {
            a.weaveByToString("Bean[ref:customerIngest method:clean]").after().to("mock:cleaned");
            a.weaveByToString("Bean[ref:customerIngest method:store]").after().to("mock:stored");
            a.weaveAddLast().to("mock:done");
            more.accept(a);
          });
        });
  }

  /** {@code n} customers; the third has a consent that is neither yes nor no and is rejected. */
  private Path customers(String name, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag");
    for (int i = 1; i <= n; i++) {
      lines.add("c" + i + ",retail,France," + (i == 3 ? "maybe" : "yes") + ",no,2025-05-01,0,no");
    }
    Path f = work.resolve(name);
    Files.write(f, lines);
    return f;
  }

  @Test
  void eachSliceIsCleanedThenStoredAndTheReportAddsUp() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint cleaned = RouteKit.mock(host, "cleaned");
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint done = RouteKit.mock(host, "done");
      cleaned.expectedMessageCount(3);
      stored.expectedMessageCount(3);
      cleaned.message(0).exchangeProperty(Exchange.SPLIT_INDEX).isEqualTo(0);
      stored.message(2).exchangeProperty(Exchange.SPLIT_INDEX).isEqualTo(2);
      done.expectedMessageCount(1);

      host.template().sendBodyAndHeader("direct:ingest-customers", null, RecordIngest.HEADER_FILE,
          customers("customers.csv", 23).toString());

      MockEndpoint.assertIsSatisfied(cleaned, stored, done);
      IngestReport r = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
      assertEquals("COMPLETED", r.status());
      assertEquals(23, r.read());
      assertEquals(22, r.accepted());
      assertEquals(1, r.rejected());
      assertEquals(22, store.queryLong("SELECT COUNT(*) FROM customers"));
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM rejected_records"));
    }
  }

  @Test
  void aFileDroppedInAWatchedFolderIsIngestedAndMovedAway() throws Exception {
    Path inbox = Files.createDirectories(work.resolve("inbox"));
    try (RouteHost host = start(
        a -> a.replaceFromWith("file:" + inbox + "?move=.done&initialDelay=0&delay=50&readLock=none"))) {
      NotifyBuilder ingested = new NotifyBuilder(host.context()).fromRoute("ingest-customers-file").whenDone(1)
          .create();
      Files.move(customers("dropped.csv", 5), inbox.resolve("dropped.csv"));
      assertTrue(ingested.matches(10, TimeUnit.SECONDS), "the dropped file was picked up");
      assertTrue(RouteKit.appears(inbox.resolve(".done/dropped.csv")));
      assertEquals(4, store.queryLong("SELECT COUNT(*) FROM customers"));
    }
  }

  @Test
  void aFileWithoutTheCustomerHeaderIsRefusedAtOnce() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint cleaned = RouteKit.mock(host, "cleaned");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      cleaned.expectedMessageCount(0);
      dead.expectedMessageCount(0);
      Path wrong = work.resolve("orders.csv");
      Files.write(wrong, List.of("order_id,quantity", "A1,2"));

      Exchange ex = host.template().send("direct:ingest-customers",
          e -> e.getMessage().setHeader(RecordIngest.HEADER_FILE, wrong.toString()));

      MockEndpoint.assertIsSatisfied(cleaned, dead);
      assertInstanceOf(IngestException.class, ex.getException());
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM customers"));
    }
  }
}
