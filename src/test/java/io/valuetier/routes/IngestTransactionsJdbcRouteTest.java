package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.ingest.RecordIngest;
import io.valuetier.ingest.TransactionIngest;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.util.function.ThrowingConsumer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/ingest-transactions-jdbc.camel.yaml} against a shop database that runs here (a second H2 database,
 * read with the shipped query {@code routes/sql/source-transactions.sql} through the real sql component):
 * {@code mock:query} before the SQL endpoint sees the headers the route sets, {@code mock:stored} the slices and
 * {@code mock:done} the report. A timer in place of {@code direct:} ({@code replaceFromWith}) polls twice and the
 * second read changes nothing.
 */
class IngestTransactionsJdbcRouteTest {
  @TempDir Path work;
  private Store store;
  private Settings settings;
  private JdbcDataSource source;
  private String sourceUrl;

  @BeforeEach
  void open() throws Exception {
    sourceUrl = "jdbc:h2:file:" + work.resolve("shop/shop").toAbsolutePath() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    source = new JdbcDataSource();
    source.setURL(sourceUrl);
    try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop_order_lines (id BIGINT PRIMARY KEY, order_id VARCHAR(20), customer_id VARCHAR(20),"
          + " ordered_at TIMESTAMP, sku VARCHAR(20), title VARCHAR(100), quantity DECIMAL(10,2),"
          + " unit_price DECIMAL(10,2), currency CHAR(3), country VARCHAR(40))");
      StringBuilder rows = new StringBuilder("INSERT INTO shop_order_lines VALUES ");
      for (int i = 1; i <= 23; i++) {
        rows.append(i > 1 ? "," : "").append("(").append(100 + i).append(",'A").append(i).append("',")
            .append(i == 7 ? "NULL" : "'c" + i % 5 + "'").append(",TIMESTAMP '2026-06-01 10:00:00','SKU")
            .append(i % 3).append("','Mug',2,9.99,'EUR','France')");
      }
      s.execute(rows.toString());
    }
    settings = RouteKit.settings(work, Map.of(
        "valuetier.ingest.jdbc.url", sourceUrl,
        "valuetier.ingest.jdbc.query-file", RouteKit.home().resolve("routes/sql/source-transactions.sql").toString()));
    store = Stores.open(settings);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RouteHost start(ThrowingConsumer<AdviceWithRouteBuilder, Exception> more) {
    TransactionIngest ingest = new TransactionIngest(new IngestStore(store),
        () -> CleaningRules.from(settings, LocalDateTime.now()), 10, 20, 1 << 20);
    return RouteKit.start(settings, Map.of("transactionIngest", ingest, "sourceDataSource", source),
        Set.of("ingest-transactions-jdbc"), false, ctx -> RouteKit.advise(ctx, "ingest-transactions-jdbc", a -> {
          a.weaveByToUri("sql:*").before().to("mock:query");
          a.weaveByToString("Bean[ref:transactionIngest method:store]").after().to("mock:stored");
          a.weaveAddLast().to("mock:done");
          more.accept(a);
        }));
  }

  @Test
  void theRowsOfTheSourceQueryAreCleanedAndStoredInSlices() throws Exception {
    try (RouteHost host = start(a -> {})) {
      MockEndpoint query = RouteKit.mock(host, "query");
      MockEndpoint stored = RouteKit.mock(host, "stored");
      MockEndpoint done = RouteKit.mock(host, "done");
      query.expectedMessageCount(1);
      query.expectedHeaderReceived(RecordIngest.HEADER_FORMAT, "canonical");
      query.expectedHeaderReceived(RecordIngest.HEADER_FILE, "jdbc source " + sourceUrl + " "
          + RouteKit.home().resolve("routes/sql/source-transactions.sql"));
      stored.expectedMessageCount(3);
      done.expectedMessageCount(1);

      host.template().sendBody("direct:ingest-transactions-jdbc", null);

      MockEndpoint.assertIsSatisfied(query, stored, done);
      IngestReport r = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
      assertEquals("COMPLETED", r.status());
      assertEquals(23, r.read());
      assertEquals(22, r.accepted());
      assertEquals(Map.of("MISSING_CUSTOMER_ID", 1L), r.rejectedByReason());
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE line_no = 107"),
          "a rejected row is numbered by its key in the source table");
    }
  }

  @Test
  void aTimerPollsTheSourceAndReReadingStoredRowsChangesNothing() throws Exception {
    try (RouteHost host = start(a -> a.replaceFromWith("timer:orders?delay=0&period=100&repeatCount=2"))) {
      NotifyBuilder twice = new NotifyBuilder(host.context()).fromRoute("ingest-transactions-jdbc").whenDone(2).create();
      MockEndpoint done = RouteKit.mock(host, "done");
      done.expectedMessageCount(2);

      assertTrue(twice.matches(10, TimeUnit.SECONDS), "the timer fired twice");

      done.assertIsSatisfied();
      IngestReport first = done.getReceivedExchanges().get(0).getMessage().getBody(IngestReport.class);
      IngestReport second = done.getReceivedExchanges().get(1).getMessage().getBody(IngestReport.class);
      assertEquals(22, first.accepted());
      assertEquals(first.store(), second.store(), "the store's totals after the second read are the same");
      assertEquals(22, store.queryLong("SELECT COUNT(*) FROM transactions"));
    }
  }
}
