package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.sun.net.httpserver.HttpServer;
import io.valuetier.config.Settings;
import io.valuetier.store.CapturedLog;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook destination whose URI carries a token: the token reaches the webhook (it is how the receiver checks the
 * caller) but no table, log line, message header, report or dead letter of ours, and the delivery log still makes a
 * re-run skip what was delivered.
 */
class PublishSecretsTest {
  private static final String SECRET = "SECRET-tok-5d1e";
  @TempDir Path work;

  /** Every text column of every table whose value holds {@code needle}, as "table.column". */
  static List<String> columnsHolding(Store store, String needle) throws Exception {
    List<String> hits = new ArrayList<>();
    try (Connection c = store.connection()) {
      DatabaseMetaData md = c.getMetaData();
      Map<String, List<String>> columns = new HashMap<>();
      try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
        while (rs.next()) {
          if (Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR, Types.NCLOB)
              .contains(rs.getInt("DATA_TYPE"))) {
            columns.computeIfAbsent(rs.getString("TABLE_NAME"), k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
          }
        }
      }
      assertTrue(columns.keySet().stream().anyMatch(t -> t.equalsIgnoreCase("action_deliveries")), columns::toString);
      for (Map.Entry<String, List<String>> t : columns.entrySet()) {
        for (String col : t.getValue()) {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM " + t.getKey() + " WHERE " + col + " LIKE ?")) {
            ps.setString(1, "%" + needle + "%");
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                hits.add(t.getKey() + "." + col);
              }
            }
          }
        }
      }
    }
    return hits;
  }

  @Test
  void aTokenInTheWebhookUriIsInNoTableLogHeaderReportOrDeadLetter() throws Exception {
    AtomicBoolean up = new AtomicBoolean(false);
    Map<String, String> headersSeen = new ConcurrentHashMap<>();
    List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
    Set<String> received = ConcurrentHashMap.newKeySet();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      queries.add(ex.getRequestMethod() + " " + ex.getRequestURI().getQuery());
      if (up.get()) {
        for (com.fasterxml.jackson.databind.JsonNode a : io.valuetier.util.Json.MAPPER.readTree(body)) {
          received.add(a.get("decision_id").asText());
        }
      }
      ex.getRequestHeaders().forEach((k, v) -> headersSeen.merge(k, String.join(",", v), (a, b) -> a + "|" + b));
      ex.sendResponseHeaders(up.get() ? 200 : 503, -1);
      ex.close();
    });
    server.start();
    try (CapturedLog log = new CapturedLog(Level.DEBUG, Level.INFO)) {
      String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=" + SECRET;
      Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of(
          "valuetier.publish.to", hook,
          "valuetier.publish.folder", work.resolve("out").toString(),
          "valuetier.publish.batch-size", "4",
          "valuetier.errors.max-redeliveries", "1",
          "valuetier.errors.redelivery-delay-ms", "10"));
      try (Store store = Stores.open(s);
          PublishService p = new PublishService(s, store)) {
        PublishService.PublishReport down = p.publish("run-9", PublishActionsTest.actions(10).iterator());
        assertTrue(down.failed());
        assertFalse(down.failure().contains(SECRET), down.failure());
        up.set(true);
        PublishService.PublishReport ok = p.publish("run-9", PublishActionsTest.actions(10).iterator());
        assertNull(ok.failure());
        assertEquals(10, ok.delivered());
        assertFalse(ok.destination().contains(SECRET), ok.destination());
        assertTrue(ok.destination().endsWith("/hook?token=***"), ok.destination());
        PublishService.PublishReport again = p.publish("run-9", PublishActionsTest.actions(10).iterator());
        assertEquals(10, again.alreadyDelivered(), "the delivery log knows the destination by its redacted URI");

        assertTrue(queries.stream().allMatch(q -> q.equals("POST token=" + SECRET)),
            "the receiver gets each batch POSTed, with its token: " + queries);
        assertEquals(10, received.size(), "every action arrived in a body");
        assertEquals(List.of(), columnsHolding(store, SECRET), "no table holds the token");
        assertEquals(10, store.queryLong("SELECT COUNT(*) FROM action_deliveries WHERE destination = ?",
            ok.destination()));
      }
      assertTrue(headersSeen.containsKey("Idempotency-key") || headersSeen.containsKey("Idempotency-Key"),
          headersSeen::toString);
      headersSeen.forEach((k, v) -> assertFalse(v.contains(SECRET), () -> "header " + k + ": " + v));
      assertTrue(log.events() > 0);
      assertFalse(log.text().contains(SECRET), log.text());
      try (Stream<Path> letters = Files.walk(work.resolve("deadletter"))) {
        List<Path> files = letters.filter(Files::isRegularFile).toList();
        assertFalse(files.isEmpty(), "the failed batch was dead-lettered");
        for (Path f : files) {
          assertFalse(Files.readString(f).contains(SECRET), f::toString);
        }
      }
    } finally {
      server.stop(0);
    }
  }
}
