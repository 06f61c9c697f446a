package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publish-actions route to each kind of destination, by configuration alone, on real endpoints. */
class PublishActionsTest {
  @TempDir Path work;

  static List<ActionRecord> actions(int n) {
    String[] codes = {"VIP_CALL", "VOUCHER_10", "NEWSLETTER"};
    List<ActionRecord> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new ActionRecord(
              "d-" + i, "c" + i, i % 2 == 0 ? "Gold" : "Silver", codes[i % 3], "email", "10% off, \"spring\"", 1 + i % 3,
              new BigDecimal("123.45"), "top 10% value; active", "rs-abc", "gbt-1", Instant.parse("2026-11-28T10:00:00Z"),
              false));
    }
    return list;
  }

  private Settings settings(Map<String, String> more) {
    Map<String, String> m = new HashMap<>(more);
    m.putIfAbsent("valuetier.publish.folder", work.resolve("out").toString());
    m.put("valuetier.publish.batch-size", "4");
    m.put("valuetier.errors.max-redeliveries", "1");
    m.put("valuetier.errors.redelivery-delay-ms", "20");
    return TestStores.settings(TestStores.h2Url(work), work, m);
  }

  @Test
  void byDefaultEachActionGetsACsvFileAndAllGoToOneJsonLinesFileAndARepeatWritesNothing() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s);
        PublishService p = new PublishService(s, store)) {
      PublishService.PublishReport r = p.publish("run-1", actions(10).iterator());
      assertNull(r.failure());
      assertEquals(10, r.delivered());
      Path dir = work.resolve("out/run-1");
      List<String> vip = Files.readAllLines(dir.resolve("VIP_CALL.csv"));
      assertEquals(ActionRecord.CSV_HEADER, vip.getFirst());
      assertEquals(1 + 4, vip.size(), "header and the 4 VIP_CALL actions of 10");
      assertTrue(vip.get(1).contains("\"10% off, \"\"spring\"\"\""), vip.get(1));
      assertEquals(1 + 3, Files.readAllLines(dir.resolve("NEWSLETTER.csv")).size());
      List<String> jsonl = Files.readAllLines(dir.resolve("actions.jsonl"));
      assertEquals(10, jsonl.size());
      JsonNode first = Json.MAPPER.readTree(jsonl.getFirst());
      assertEquals("d-0", first.get("decision_id").asText());
      assertEquals("rs-abc", first.get("rule_set_version").asText());

      PublishService.PublishReport again = p.publish("run-1", actions(10).iterator());
      assertEquals(0, again.delivered());
      assertEquals(10, again.alreadyDelivered());
      assertEquals(10, Files.readAllLines(dir.resolve("actions.jsonl")).size(), "nothing appended twice");
    }
  }

  /**
   * A batch appended to the files whose delivery could not be recorded (the database went away between the two) is
   * not appended again by the re-run: the files themselves say it is there.
   */
  @Test
  void aBatchWrittenButNotRecordedIsNotWrittenTwice() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s)) {
      try (PublishService p = new PublishService(s, store)) {
        assertEquals(10, p.publish("run-7", actions(10).iterator()).delivered());
      }
      // the record of the last batch (decisions d-8, d-9) is lost
      assertEquals(2, store.execute("DELETE FROM action_deliveries WHERE decision_id IN ('d-8', 'd-9')"));
      try (PublishService p = new PublishService(s, store)) {
        PublishService.PublishReport again = p.publish("run-7", actions(10).iterator());
        assertNull(again.failure());
        assertEquals(8, again.alreadyDelivered());
      }
      Path dir = work.resolve("out/run-7");
      List<String> jsonl = Files.readAllLines(dir.resolve("actions.jsonl"));
      assertEquals(10, jsonl.size(), "each decision once in actions.jsonl");
      assertEquals(10, jsonl.stream().distinct().count());
      long csvRows = 0;
      for (String f : List.of("VIP_CALL.csv", "VOUCHER_10.csv", "NEWSLETTER.csv")) {
        csvRows += Files.readAllLines(dir.resolve(f)).size() - 1;
      }
      assertEquals(10, csvRows, "each decision once in the CSV files");
    }
  }

  @Test
  void aWebhookThatIsDownFailsThePublishAndARerunDeliversTheRestWithoutDuplicates() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(0);
    Map<String, Integer> received = new ConcurrentHashMap<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          requests.incrementAndGet();
          byte[] body;
          try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
          }
          int status;
          if (failuresLeft.get() > 0) {
            failuresLeft.decrementAndGet();
            status = 503;
          } else {
            for (JsonNode a : Json.MAPPER.readTree(body)) {
              received.merge(a.get("decision_id").asText(), 1, Integer::sum);
            }
            status = 200;
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    try {
      Settings s =
          settings(Map.of("valuetier.publish.to", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
      try (Store store = Stores.open(s);
          PublishService p = new PublishService(s, store)) {
        // The first batch gets through, then the endpoint goes down for longer than the retries last.
        Map<String, Integer> snapshot;
        failuresLeft.set(0);
        List<ActionRecord> all = actions(10);
        p.publish("run-2", all.subList(0, 4).iterator());
        failuresLeft.set(100);
        PublishService.PublishReport down = p.publish("run-2", all.iterator());
        assertTrue(down.failed(), "the failure is reported");
        assertEquals(0, down.delivered());
        snapshot = Map.copyOf(received);
        assertEquals(4, snapshot.size());
        try (var letters = Files.list(work.resolve("deadletter"))) {
          assertFalse(letters.toList().isEmpty(), "the undelivered batch is kept as a dead letter");
        }

        failuresLeft.set(0);
        PublishService.PublishReport rerun = p.publish("run-2", all.iterator());
        assertNull(rerun.failure());
        assertEquals(6, rerun.delivered());
        assertEquals(4, rerun.alreadyDelivered());
        assertEquals(10, received.size());
        assertTrue(received.values().stream().allMatch(v -> v == 1), "no decision delivered twice: " + received);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aNatsSubjectReceivesEveryActionOnce() throws Exception {
    try (Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
      String subject = "valuetier.test." + System.nanoTime();
      Subscription sub = nats.subscribe(subject);
      Settings s = settings(Map.of("valuetier.publish.to", "nats:" + subject + "?servers=127.0.0.1:4222"));
      try (Store store = Stores.open(s);
          PublishService p = new PublishService(s, store)) {
        PublishService.PublishReport r = p.publish("run-3", actions(10).iterator());
        assertNull(r.failure());
        assertEquals(10, r.delivered());
      }
      List<String> ids = new ArrayList<>();
      io.nats.client.Message m;
      while ((m = sub.nextMessage(Duration.ofSeconds(2))) != null) {
        for (JsonNode a : Json.MAPPER.readTree(new String(m.getData(), StandardCharsets.UTF_8))) {
          ids.add(a.get("decision_id").asText());
        }
      }
      assertEquals(10, ids.size());
      assertEquals(10, ids.stream().distinct().count());
    }
  }

  @Test
  void theTableDestinationWritesOneRowPerDecision() {
    Settings s = settings(Map.of("valuetier.publish.to", "direct:write-action-table"));
    try (Store store = Stores.open(s);
        PublishService p = new PublishService(s, store)) {
      p.publish("run-4", actions(10).iterator());
      p.publish("run-4", actions(10).iterator());
      assertEquals(10, store.queryLong("SELECT COUNT(*) FROM marketing_actions"));
      assertEquals(4, store.queryLong("SELECT COUNT(*) FROM marketing_actions WHERE action_code = 'VIP_CALL'"));
    }
  }

  /** Two actions of each kind, the second of each held out as the action's control group (no channel, no offer). */
  static List<ActionRecord> withHoldOuts() {
    List<ActionRecord> list = new ArrayList<>();
    for (ActionRecord a : actions(6)) {
      boolean held = Integer.parseInt(a.decisionId().substring(2)) >= 3;
      list.add(new ActionRecord(a.decisionId(), a.customerId(), a.tier(), a.action(), held ? null : a.channel(),
          held ? null : a.offer(), a.priority(), a.predictedValue(), a.reasons(), a.ruleSetVersion(), a.modelVersion(),
          a.decidedAt(), held));
    }
    return list;
  }

  @Test
  void controlGroupCustomersGoToTheirActionsHoldOutFileNeverToTheActionFile() throws Exception {
    Settings s = settings(Map.of());
    try (Store store = Stores.open(s);
        PublishService p = new PublishService(s, store)) {
      PublishService.PublishReport r = p.publish("run-5", withHoldOuts().iterator());
      assertEquals(6, r.delivered(), "held-out customers are published too, flagged");
      Path dir = work.resolve("out/run-5");
      List<String> vip = Files.readAllLines(dir.resolve("VIP_CALL.csv"));
      assertEquals(2, vip.size(), "header and the one treated VIP_CALL customer: " + vip);
      assertTrue(vip.get(1).startsWith("d-0,") && vip.get(1).endsWith(",false,,,,,"), vip.get(1));
      List<String> held = Files.readAllLines(dir.resolve("VIP_CALL" + ActionFiles.CONTROL_GROUP_SUFFIX));
      assertEquals(ActionRecord.CSV_HEADER, held.getFirst());
      assertEquals(2, held.size(), held.toString());
      assertTrue(held.get(1).startsWith("d-3,c3,Silver,VIP_CALL,,,") && held.get(1).endsWith(",true,,,,,"), held.get(1));
      long flagged = Files.readAllLines(dir.resolve("actions.jsonl")).stream()
          .filter(l -> l.contains("\"control_group\":true")).count();
      assertEquals(3, flagged);
    }
  }

  @Test
  void theTableMarksControlGroupRows() {
    Settings s = settings(Map.of("valuetier.publish.to", "direct:write-action-table"));
    try (Store store = Stores.open(s);
        PublishService p = new PublishService(s, store)) {
      p.publish("run-6", withHoldOuts().iterator());
      assertEquals(6, store.queryLong("SELECT COUNT(*) FROM marketing_actions"));
      assertEquals(3, store.queryLong("SELECT COUNT(*) FROM marketing_actions WHERE control_group AND channel IS NULL"));
    }
  }
}
