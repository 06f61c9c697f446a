package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.ingest.RecordIngest;
import io.valuetier.ingest.TransactionIngest;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.util.function.ThrowingConsumer;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/ingest-transactions-file.camel.yaml} with the real ingest bean on an H2 store, in slices of 10 records:
 * {@code mock:stored} after the store step counts the slices, {@code mock:done} at the end sees the report and the
 * layout header. Checked: the layout filter (the setting fills in a missing header, a given one is kept), the split,
 * a watched folder in place of {@code direct:} ({@code replaceFromWith}, with a NotifyBuilder), a passing store
 * failure retried inside the split, and an unreadable file refused without retries or dead letter.
 */
class IngestTransactionsFileRouteTest {
  private static final int CHUNK = 10;

  @TempDir Path work;
  private Store store;
  private Settings settings;

  @BeforeEach
  void open() {
    settings = RouteKit.settings(work, Map.of("valuetier.ingest.transactions.format", "canonical"));
    store = Stores.open(settings);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RouteHost start(ThrowingConsumer<AdviceWithRouteBuilder, Exception> more) {
    TransactionIngest ingest = new TransactionIngest(new IngestStore(store),
        () -> CleaningRules.from(settings, LocalDateTime.now()), CHUNK, 20, 1 << 20);
    return RouteKit.start(settings, Map.of("transactionIngest", ingest), Set.of("ingest-transactions-file"), false,
        ctx -> {
          RouteKit.watchDeadLetters(ctx);
          RouteKit.advise(ctx, "ingest-transactions-file", a -> {
            a.weaveByToString("Bean[ref:transactionIngest method:store]").after().to("mock:stored");
            a.weaveAddLast().to("mock:done");
            more.accept(a);
          });
        });
  }

  /** A canonical file of {@code n} lines; line 5 (the fourth record) has no customer and is rejected. */
  private Path canonical(String name, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("order_id,customer_id,order_date,product_id,description,quantity,unit_price,currency,country");
    for (int i = 1; i <= n; i++) {
      lines.add("A" + i + "," + (i == 4 ? "" : "c" + (i % 7)) + ",2026-06-01 10:00:00,SKU" + (i % 3)
          + ",Mug,2,9.99,EUR,France");
    }
    Path f = work.resolve(name);
    Files.write(f, lines);
    return f;
  }

  private static Exchange send(RouteHost host, Path file, String format) {
    return host.template().send("direct:ingest-transactions", e -> {
      e.getMessage().setHeader(RecordIngest.HEADER_FILE, file.toString());
      if (format != null) {
        e.getMessage().setHeader(RecordIngest.HEADER_FORMAT, format);
      }
    });
  }

  @Test
  void aFileIsStoredInSlicesWithTheConfiguredLayoutUnlessTheMessageNamesOne() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint done = RouteKit.mock(host, "done");
      stored.expectedMessageCount(3);
      done.expectedMessageCount(1);
      done.expectedHeaderReceived(RecordIngest.HEADER_FORMAT, "canonical");
      done.message(0).body().isInstanceOf(IngestReport.class);

      send(host, canonical("orders.csv", 25), null);

      MockEndpoint.assertIsSatisfied(stored, done);
      IngestReport r = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
      assertEquals("COMPLETED", r.status());
      assertEquals(25, r.read());
      assertEquals(24, r.accepted());
      assertEquals(Map.of("MISSING_CUSTOMER_ID", 1L), r.rejectedByReason());
      assertEquals(24, store.queryLong("SELECT COUNT(*) FROM transactions"));

      stored.reset();
      done.reset();
      done.expectedHeaderReceived(RecordIngest.HEADER_FORMAT, "cdnow");
      Path cdnow = work.resolve("cdnow.txt");
      Files.write(cdnow, List.of("00001 19970101 1 29.33", "00002 19970102 2 11.77"));
      send(host, cdnow, "cdnow");
      done.assertIsSatisfied();
      IngestReport c = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
      assertEquals("cdnow", c.format(), "the layout of the message is kept");
      assertEquals(2, c.accepted());
    }
  }

  @Test
  void aFileDroppedInAWatchedFolderIsIngestedAndMovedAway() throws Exception {
    Path inbox = work.resolve("inbox");
    Files.createDirectories(inbox);
    try (RouteHost host = start(
        a -> a.replaceFromWith("file:" + inbox + "?move=.done&initialDelay=0&delay=50&readLock=none"))) {
      MockEndpoint done = RouteKit.mock(host, "done");
      done.expectedMessageCount(1);
      NotifyBuilder ingested = new NotifyBuilder(host.context()).fromRoute("ingest-transactions-file").whenDone(1)
          .create();

      Files.move(canonical("dropped.csv", 12), inbox.resolve("dropped.csv"));

      assertTrue(ingested.matches(10, TimeUnit.SECONDS), "the dropped file was picked up");
      done.assertIsSatisfied();
      assertEquals(11, done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class).accepted());
      assertTrue(RouteKit.appears(inbox.resolve(".done/dropped.csv")), "moved to .done");
      assertEquals(11, store.queryLong("SELECT COUNT(*) FROM transactions"));
    }
  }

  @Test
  void aPassingStoreFailureIsRetriedInsideTheSplitAndTheRunCompletes() throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    try (RouteHost host = start(a -> a.weaveByToString("Bean[ref:transactionIngest method:store]").before().process(e -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("connection reset by the database");
      }
    }))) {
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      stored.expectedMessageCount(3);
      stored.message(0).header(Exchange.REDELIVERY_COUNTER).isEqualTo(1);
      dead.expectedMessageCount(0);

      Exchange ex = send(host, canonical("orders.csv", 25), null);

      MockEndpoint.assertIsSatisfied(stored, dead);
      assertEquals("COMPLETED", ex.getMessage().getBody(IngestReport.class).status());
      assertEquals(24, store.queryLong("SELECT COUNT(*) FROM transactions"));
    }
  }

  @Test
  void anEmptyFileIsRefusedAtOnceWithoutRetriesOrDeadLetter() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint dead = RouteKit.mock(host, "dead-letter");
      stored.expectedMessageCount(0);
      dead.expectedMessageCount(0);
      Path empty = Files.createFile(work.resolve("empty.csv"));

      Exchange ex = send(host, empty, null);

      MockEndpoint.assertIsSatisfied(stored, dead);
      assertInstanceOf(IngestException.class, ex.getException());
      assertTrue(ex.getException().getMessage().contains("empty.csv is empty"), ex.getException().getMessage());
      assertTrue(RouteKit.deadLetterFiles(work).isEmpty());
    }
  }
}
