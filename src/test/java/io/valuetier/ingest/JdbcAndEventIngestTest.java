package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.records.IngestReport;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC source route (a shop's MariaDB order table) and the HTTP event route, on real servers. */
class JdbcAndEventIngestTest {
  @TempDir Path work;

  @Test
  void rowsOfAShopsOrderTableAreCleanedAndStoredAndARepeatedReadChangesNothing() throws Exception {
    String source = TestStores.createMysqlDatabase("vt_shop");
    try {
      try (Connection c = DriverManager.getConnection(source, TestStores.mysqlUser(), TestStores.mysqlPassword());
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE shop_order_lines (id BIGINT PRIMARY KEY, order_id VARCHAR(20), customer_id VARCHAR(20),"
                + " ordered_at DATETIME, sku VARCHAR(20), title VARCHAR(100), quantity DECIMAL(10,2),"
                + " unit_price DECIMAL(10,2), currency CHAR(3), country VARCHAR(40))");
        s.execute(
            "INSERT INTO shop_order_lines VALUES"
                + " (101,'A1','42','2026-11-01 10:00:00','SKU1','Mug',2,9.99,'EUR','France'),"
                + " (102,'A1','42','2026-11-01 10:00:00','SKU2','Plate, large',1,19.50,'EUR','France'),"
                + " (103,'A2',NULL,'2026-11-02 11:00:00','SKU1','Mug',1,9.99,'EUR','France'),"
                + " (104,'A3','43','2026-11-03 12:00:00','SKU3','Bowl',1,0,'EUR','Spain'),"
                + " (105,'A4','43','2026-11-04 12:00:00','SKU1','Mug',-1,9.99,'EUR','Spain')");
      }
      Path query = TestStores.home().resolve("routes/sql/source-transactions.sql");
      Settings s =
          TestStores.settings(
              TestStores.h2Url(work),
              work,
              Map.of(
                  "valuetier.ingest.jdbc.url", source,
                  "valuetier.ingest.jdbc.user", TestStores.mysqlUser(),
                  "valuetier.ingest.jdbc.password", TestStores.mysqlPassword(),
                  "valuetier.ingest.jdbc.query-file", query.toString()));
      try (Store store = Stores.open(s);
          IngestService ingest = new IngestService(s, store)) {
        IngestReport r = ingest.ingestJdbc();
        assertEquals("COMPLETED", r.status());
        assertEquals(5, r.read());
        assertEquals(3, r.accepted());
        assertEquals(Map.of("MISSING_CUSTOMER_ID", 1L, "ZERO_PRICE", 1L), r.rejectedByReason());
        assertEquals(1, r.returns());
        assertEquals(2, store.queryLong("SELECT COUNT(*) FROM transactions WHERE currency = 'EUR' AND customer_id = '42'"));
        assertEquals(1, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE line_no = 103"),
            "a rejected row is numbered by its key in the source table");
        IngestReport again = ingest.ingestJdbc();
        assertEquals(r.store(), again.store());
      }
    } finally {
      TestStores.dropMysql(source);
    }
  }

  @Test
  void singleJsonEventsArePostedCleanedStoredAndBadOnesRejectedWithTheirReason() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of("valuetier.http.port", String.valueOf(port)));
    try (Store store = Stores.open(s);
        RouteHost host =
            RouteHost.start(
                s,
                Map.of(
                    "transactionEventIngest",
                    new TransactionEventIngest(new IngestStore(store), () -> CleaningRules.from(s, LocalDateTime.now()),
                        exchange -> true), // the route alone, without the server's key check
                    "deadLetters", new DeadLetters()),
                Set.of("ingest-transaction-events"),
                true)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String good =
          "{\"order_id\":\"W1\",\"customer_id\":\"77\",\"order_date\":\"2026-11-20 10:00:00\",\"product_id\":\"SKU9\","
              + "\"quantity\":3,\"unit_price\":4.5,\"currency\":\"EUR\",\"country\":\"Germany\"}";
      HttpResponse<String> ok = post(http, port, good);
      assertEquals(202, ok.statusCode(), ok.body());
      assertEquals(202, post(http, port, good).statusCode(), "posting the same event again is accepted");
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM transactions"), "and stored once");

      HttpResponse<String> bad = post(http, port, good.replace("\"quantity\":3", "\"quantity\":\"three\""));
      assertEquals(422, bad.statusCode());
      assertTrue(bad.body().contains("\"reason\":\"BAD_QUANTITY\"") && bad.body().contains("\"field\":\"quantity\""),
          bad.body());
      HttpResponse<String> notJson = post(http, port, "{\"order_id\": ");
      assertEquals(400, notJson.statusCode());
      assertTrue(notJson.body().contains("BAD_JSON"), notJson.body());
      assertEquals(2, store.queryLong("SELECT COUNT(*) FROM rejected_records"));
      assertEquals(1, store.queryLong("SELECT COUNT(*) FROM customers WHERE customer_id = '77'"));
    }
    assertTrue(Files.notExists(work.resolve("deadletter")) || Files.list(work.resolve("deadletter")).findAny().isEmpty(),
        "nothing was dead-lettered");
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
