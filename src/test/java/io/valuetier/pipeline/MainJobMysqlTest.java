package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The main job against the MariaDB server through MySQL Connector/J (as `valuetier run --db jdbc:mysql://...`). */
class MainJobMysqlTest extends MainJobContract {
  private String url;

  @Override
  String dbUrl() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_run");
    }
    return url;
  }

  @Override
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
      url = null;
    }
  }

  private String database() {
    return url.substring(url.lastIndexOf('/') + 1).split("\\?")[0];
  }

  /**
   * What the job sees when its database server restarts: every connection of the job is killed and, until the
   * server is "back", the table that records deliveries is gone.
   */
  private void databaseGoesAway() throws SQLException {
    try (Connection c = DriverManager.getConnection(TestStores.mysqlServer(), TestStores.mysqlUser(),
            TestStores.mysqlPassword());
        Statement st = c.createStatement()) {
      st.execute("RENAME TABLE " + database() + ".action_deliveries TO " + database() + ".action_deliveries_away");
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          "SELECT id FROM information_schema.processlist WHERE db = '" + database() + "' AND id <> CONNECTION_ID()")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        try {
          st.execute("KILL CONNECTION " + id);
        } catch (SQLException gone) {
          // already closed
        }
      }
    }
  }

  private void databaseIsBack() throws SQLException {
    try (Connection c = DriverManager.getConnection(TestStores.mysqlServer(), TestStores.mysqlUser(),
            TestStores.mysqlPassword());
        Statement st = c.createStatement()) {
      st.execute("RENAME TABLE " + database() + ".action_deliveries_away TO " + database() + ".action_deliveries");
    }
  }

  /**
   * The database goes away while actions are being delivered to a webhook. The run reports the failure; the re-run
   * resumes the same decision run and delivers the rest; every decision arrives. The one batch that the endpoint took
   * while its delivery could not be recorded is sent again with the same {@code Idempotency-Key}, so a receiver that
   * honours the key (as this one does) accepts every decision exactly once; every other batch is sent once.
   */
  @Test
  void theDatabaseRestartingDuringPublishingIsReportedAndARerunDeliversTheRest() throws Exception {
    Map<String, Integer> received = new ConcurrentHashMap<>();
    AtomicInteger batches = new AtomicInteger();
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    Set<String> keysAccepted = ConcurrentHashMap.newKeySet();
    Map<String, Integer> keysSent = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      int n = batches.incrementAndGet();
      String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
      keysSent.merge(String.valueOf(key), 1, Integer::sum);
      if (key != null && !keysAccepted.add(key)) {
        ex.sendResponseHeaders(200, -1); // a repeat: already accepted, dropped
        ex.close();
        return;
      }
      for (JsonNode a : Json.MAPPER.readTree(body)) {
        received.merge(a.get("decision_id").asText(), 1, Integer::sum);
        if (n == 4) {
          inFlight.add(a.get("decision_id").asText());
        }
      }
      if (n == 4) {
        try {
          databaseGoesAway();
        } catch (SQLException e) {
          throw new java.io.IOException(e);
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      Settings s = webhookSettings(server);
      MainJob.Options o = options();
      try (Store store = Stores.open(s)) {
        MainJob.Summary failed = new MainJob(s, store, MainJob.silent()).run(o);
        assertTrue(failed.publish().failed(), "the failure is reported");
        assertTrue(String.valueOf(failed.publish().failure()).contains("action_deliveries"),
            "the report says what failed: " + failed.publish().failure());
        long decisions = failed.decisions().decisions();
        assertTrue(received.size() < decisions, "the run stopped delivering when the database went away");

        databaseIsBack();
        MainJob.Summary rerun = new MainJob(s, store, MainJob.silent()).run(o);
        assertTrue(rerun.resumed(), "the re-run finishes the earlier decision run instead of deciding again");
        assertEquals(failed.decisions().runId(), rerun.decisions().runId());
        assertFalse(rerun.publish().failed());
        assertEquals(decisions, received.size(), "every decision delivered");
        assertEquals(100, inFlight.size());
        assertTrue(received.values().stream().allMatch(v -> v == 1), "the receiver accepted every decision once");
        assertFalse(keysSent.containsKey("null"), "every batch carries an Idempotency-Key");
        assertEquals(1, keysSent.values().stream().filter(v -> v == 2).count(),
            "exactly one batch (the one in flight) was sent again, with the same key: " + keysSent);
        assertTrue(keysSent.values().stream().allMatch(v -> v <= 2));
        assertEquals(decisions, store.queryLong("SELECT COUNT(*) FROM action_deliveries"));
      }
    } finally {
      server.stop(0);
      drop();
    }
  }
}
