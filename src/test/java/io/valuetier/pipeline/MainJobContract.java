package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.SampleData;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end on a slice of the Online Retail sample (one customer in five, the whole year), on a real
 * store: its outputs agree (rows in the action files = decisions of the run = customers scored), a second run reuses
 * the model, and a destination that fails midway loses nothing and is completed by a re-run without duplicates.
 */
@Tag("slow")
abstract class MainJobContract {
  @TempDir Path work;

  abstract String dbUrl();

  void drop() {}

  Settings settings(Map<String, String> more) {
    Map<String, String> m = new HashMap<>(more);
    m.put("valuetier.publish.folder", work.resolve("out/actions").toString());
    m.put("valuetier.run.report", work.resolve("out/report.html").toString());
    m.put("valuetier.model.registry-dir", work.resolve("models").toString());
    return TestStores.settings(dbUrl(), work, m);
  }

  /** Actions to a webhook at {@code server}/hook, 100 per batch, one quick retry before a delivery fails. */
  Settings webhookSettings(HttpServer server) {
    return settings(Map.of(
        "valuetier.publish.to", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
        "valuetier.publish.batch-size", "100",
        "valuetier.errors.max-redeliveries", "1",
        "valuetier.errors.redelivery-delay-ms", "10"));
  }

  MainJob.Options options() throws Exception {
    return new MainJob.Options(
        SampleData.onlineRetailSlice(work, 5), TransactionFormat.ONLINE_RETAIL, SampleData.onlineRetailCustomers(), false);
  }

  private static long lines(Path dir, String glob) throws Exception {
    long n = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().matches(glob)).toList()) {
        n += Files.readAllLines(p).size();
      }
    }
    return n;
  }

  @Test
  void theLoopsOutputsAgreeAndASecondRunReusesTheModelAndTheEvaluation() throws Exception {
    try {
      Settings s = settings(Map.of());
      MainJob.Options o = options();
      try (Store store = Stores.open(s)) {
        MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(o);
        long run = first.decisions().runId();
        long decisionsInStore = store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ?", run);
        Path folder = Path.of(first.publish().folder());
        long csvRows = lines(folder, ".*\\.csv") - countFiles(folder, ".*\\.csv"); // minus one header per file
        long jsonRows = lines(folder, "actions\\.jsonl");
        assertTrue(first.customersScored() > 500, "scored " + first.customersScored());
        assertEquals(first.customersScored(), decisionsInStore);
        assertEquals(decisionsInStore, jsonRows);
        assertEquals(decisionsInStore, csvRows);
        assertEquals(decisionsInStore, first.publish().delivered());
        assertNotNull(first.evaluation(), "the sample's year allows a holdout evaluation");
        assertTrue(Files.size(first.report()) > 100_000, "the report inlines its charting library");
        String html = Files.readString(first.report());
        assertTrue(html.contains("\"model_table\":[{"), "the report holds the model comparison");
        // monitoring: the champion was trained on this very population, so no input has drifted; one decision run
        assertTrue(first.monitoring().drift().max() < 1e-9, () -> first.monitoring().drift().psi().toString());
        assertEquals(io.valuetier.model.BtydFeatures.inputNames().size(), first.monitoring().drift().psi().size());
        assertNull(first.monitoring().decisions(), "a shift needs two decision runs");
        assertTrue(html.contains("\"monitoring\":[{\"area\":\"drift\""), "the report holds the monitoring table");

        MainJob.Summary second = new MainJob(s, store, MainJob.silent()).run(o);
        assertEquals("UNCHANGED", second.ingest().status());
        assertTrue(second.championReused());
        assertTrue(second.evaluation().reused());
        assertEquals(first.customersScored(), second.customersScored());
        assertEquals(decisionsInStore, second.publish().delivered(), "a new decision run publishes its own actions");
        assertEquals(run, second.monitoring().decisions().previousRun());
        assertTrue(second.monitoring().decisions().tierPsi() < 1e-12, "same scores, same rules: same tier mix");
      }
    } finally {
      drop();
    }
  }

  private static long countFiles(Path dir, String glob) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches(glob)).count();
    }
  }

  @Test
  void aWebhookDownDuringPublishingIsReportedAndARerunDeliversTheRestOnce() throws Exception {
    AtomicBoolean down = new AtomicBoolean(false);
    Map<String, Integer> received = new ConcurrentHashMap<>();
    int[] accepted = {0};
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      int status = 200;
      synchronized (accepted) {
        if (down.get() || accepted[0] >= 3) {
          down.set(true);
          status = 503;
        } else {
          accepted[0]++;
          for (JsonNode a : Json.MAPPER.readTree(body)) {
            received.merge(a.get("decision_id").asText(), 1, Integer::sum);
          }
        }
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    try {
      Settings s = webhookSettings(server);
      MainJob.Options o = options();
      try (Store store = Stores.open(s)) {
        MainJob.Summary failed = new MainJob(s, store, MainJob.silent()).run(o);
        assertTrue(failed.publish().failed(), "the failure is reported");
        assertEquals(300, received.size(), "three batches got through before the endpoint went down");
        long decisions = failed.decisions().decisions();

        down.set(false);
        accepted[0] = Integer.MIN_VALUE; // up for good
        MainJob.Summary rerun = new MainJob(s, store, MainJob.silent()).run(o);
        assertTrue(rerun.resumed(), "the re-run finishes the earlier decision run instead of deciding again");
        assertEquals(failed.decisions().runId(), rerun.decisions().runId());
        assertFalse(rerun.publish().failed());
        assertEquals(decisions - 300, rerun.publish().delivered());
        assertEquals(decisions, received.size(), "every decision delivered");
        assertTrue(received.values().stream().allMatch(v -> v == 1), "none delivered twice");
        List<Long> runs = List.of(store.queryLong("SELECT COUNT(*) FROM decision_runs"));
        assertEquals(1L, runs.getFirst(), "no second decision run was made");
      }
    } finally {
      server.stop(0);
      drop();
    }
  }
}
