package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

  /**
   * Actions to a webhook at {@code server}/hook, 100 per batch, one quick retry before a delivery fails; the quick
   * model settings, as these tests are about publishing.
   */
  Settings webhookSettings(HttpServer server) {
    return quick(Map.of(
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
        // the learned champion's prediction intervals: on every customer it predicted for, around the prediction,
        // and carried into the decisions made from those scores
        long withInterval = store.queryLong("SELECT COUNT(*) FROM scores WHERE predicted_spend_low IS NOT NULL");
        long predicted = store.queryLong("SELECT COUNT(*) FROM scores WHERE reason_1 IS NULL OR reason_1 <> ?",
            io.valuetier.model.ScoredCustomer.NO_PURCHASE_REASON);
        String champion = store.queryString("SELECT MIN(model_id) FROM scores");
        boolean learned = champion.startsWith("gbt") || champion.startsWith("mlp");
        assertEquals(learned ? predicted : 0, withInterval, "scores with an interval, champion " + champion);
        assertEquals(0, store.queryLong("SELECT COUNT(*) FROM scores WHERE predicted_spend_low > predicted_spend"
            + " OR predicted_spend_high < predicted_spend"));
        assertEquals(withInterval, store.queryLong(
            "SELECT COUNT(*) FROM decisions WHERE run_id = ? AND predicted_value_low IS NOT NULL", run));
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

  /** Settings for the quick runs below: two algorithms, fewer trees; {@code more} wins. */
  Settings quick(Map<String, String> more) {
    return quickOn(dbUrl(), more);
  }

  /** As {@link #quick}, on the database {@code url}, with the same output and model folders. */
  Settings quickOn(String url, Map<String, String> more) {
    Map<String, String> m = new HashMap<>(Map.of(
        "valuetier.model.algorithms", "gbt,btyd",
        "valuetier.model.gbt.trees", "20",
        "valuetier.run.min-calibration-days", "36500", // no holdout evaluation: not what these tests are about
        "valuetier.publish.folder", work.resolve("out/actions").toString(),
        "valuetier.run.report", work.resolve("out/report.html").toString(),
        "valuetier.model.registry-dir", work.resolve("models").toString()));
    m.putAll(more);
    return TestStores.settings(url, work, m);
  }

  private static final Map<Integer, Path> SLICES = new ConcurrentHashMap<>();

  /** One customer in {@code every} of the Online Retail sample, cut once per test JVM (reading the sample is slow). */
  static Path slice(int every) {
    return SLICES.computeIfAbsent(every, e -> {
      try {
        Path dir = Files.createTempDirectory("valuetier-slice-");
        dir.toFile().deleteOnExit();
        Path p = SampleData.onlineRetailSlice(dir, e);
        p.toFile().deleteOnExit();
        return p;
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    });
  }

  /** One customer in twenty of the Online Retail sample, with the customer facts. */
  MainJob.Options small() {
    return new MainJob.Options(slice(20), TransactionFormat.ONLINE_RETAIL, SampleData.onlineRetailCustomers(), false);
  }

  /** A file with the Online Retail header line and no rows. */
  Path headerOnly() throws Exception {
    Path empty = work.resolve("header-only.csv");
    Files.writeString(empty, Files.readAllLines(slice(20)).getFirst() + "\n");
    return empty;
  }

  private static String h2At(Path dir) {
    return TestStores.h2Url(dir);
  }

  @Test
  void twoStoresNeverShareAnActionFolderOrAChampionAndSwitchingBackReusesTheFirstStoresChampion() throws Exception {
    try {
      Settings a = quick(Map.of());
      Settings b = quickOn(h2At(work.resolve("other")), Map.of());
      MainJob.Options o = small();
      MainJob.Options otherData = new MainJob.Options(
          slice(15), TransactionFormat.ONLINE_RETAIL, null, false);
      try (Store storeA = Stores.open(a); Store storeB = Stores.open(b)) {
        MainJob.Summary first = new MainJob(a, storeA, MainJob.silent()).run(o);
        MainJob.Summary other = new MainJob(b, storeB, MainJob.silent()).run(otherData);
        assertEquals(first.decisions().runId(), other.decisions().runId(), "both stores made their run 1");
        assertNotEquals(first.facts().storeId(), other.facts().storeId());
        assertNotEquals(first.publish().folder(), other.publish().folder());
        assertEquals(first.decisions().decisions(), lines(Path.of(first.publish().folder()), "actions\\.jsonl"));
        assertEquals(other.decisions().decisions(), lines(Path.of(other.publish().folder()), "actions\\.jsonl"));
        assertEquals(other.decisions().decisions(), other.publish().delivered(), "nothing skipped as already there");

        Path championA = io.valuetier.model.TrainingService.registry(a, storeA).championFile();
        Path championB = io.valuetier.model.TrainingService.registry(b, storeB).championFile();
        assertNotEquals(championA, championB);
        assertEquals(first.facts().storeId(), Json.MAPPER.readTree(championA.toFile()).path("store_id").asText());
        assertEquals(other.facts().storeId(), Json.MAPPER.readTree(championB.toFile()).path("store_id").asText());

        MainJob.Summary again = new MainJob(a, storeA, MainJob.silent()).run(o);
        assertTrue(again.championReused(), "the other store's training did not replace this store's champion");
        assertEquals(first.champion(), again.champion());
      }
    } finally {
      drop();
    }
  }

  @Test
  void aDestinationFolderHoldingAnotherRunsDecisionsIsAnErrorNamingItAndNothingIsAppended() throws Exception {
    try {
      Settings a = quick(Map.of());
      Settings b = quickOn(h2At(work.resolve("copy")), Map.of());
      MainJob.Options o = small();
      try (Store storeA = Stores.open(a); Store storeB = Stores.open(b)) {
        MainJob.Summary first = new MainJob(a, storeA, MainJob.silent()).run(o);
        // the folder store B's run 1 will use already holds store A's run 1 (as when a database is created again)
        Path taken = work.resolve("out/actions").resolve(io.valuetier.store.StoreId.of(storeB).shortId() + "/run-1");
        Files.createDirectories(taken);
        Path jsonl = taken.resolve("actions.jsonl");
        Files.copy(Path.of(first.publish().folder()).resolve("actions.jsonl"), jsonl);
        byte[] before = Files.readAllBytes(jsonl);

        MainJob.Summary refused = new MainJob(b, storeB, MainJob.silent()).run(o);
        assertTrue(refused.publish().failed(), "an error, not a silent skip");
        assertTrue(refused.publish().failure().contains(taken.toString()), refused.publish().failure());
        assertTrue(refused.publish().failure().contains("already holds other decisions"), refused.publish().failure());
        assertEquals(0, refused.publish().alreadyDelivered());
        assertArrayEquals(before, Files.readAllBytes(jsonl), "nothing appended to the other run's file");
      }
    } finally {
      drop();
    }
  }

  @Test
  void aRefusedRuleSetIsNamedInTheSummaryWithTheVersionUsedAndIsAStrictProblem() throws Exception {
    try {
      Path rulesDir = work.resolve("rule-set");
      TestStores.copyTree(TestStores.home().resolve("dmn"), rulesDir.resolve("dmn"));
      TestStores.copyTree(TestStores.home().resolve("rules"), rulesDir.resolve("rules"));
      Settings s = quick(Map.of("valuetier.decide.rule-set-dir", rulesDir.toString()));
      MainJob.Options o = small();
      try (Store store = Stores.open(s)) {
        MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(o);
        assertNull(first.facts().ruleSet());
        assertTrue(first.strictProblems().isEmpty(), first.strictProblems()::toString);

        Path dmn = rulesDir.resolve("dmn/customer-tiering.dmn");
        String text = Files.readString(dmn);
        String cell = "<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>";
        assertTrue(text.contains(cell));
        Files.writeString(dmn, text.replace(cell, "<inputEntry id=\"vt-r5-c4\"><text>[80..95</text>"));

        MainJob.Summary second = new MainJob(s, store, MainJob.silent()).run(o);
        RunFacts.RefusedRuleSet refused = second.facts().ruleSet();
        assertNotNull(refused, "the refusal is in the summary");
        assertEquals(first.decisions().ruleSet(), refused.versionUsed());
        assertEquals(first.decisions().ruleSet(), second.decisions().ruleSet(), "the earlier version decided");
        assertNotEquals(refused.version(), refused.versionUsed());
        assertTrue(refused.messages().stream().anyMatch(m -> m.contains("customer-tiering.dmn") && m.contains("rule 5")
            && m.contains("Value Percentile")), refused.messages()::toString);
        assertTrue(refused.messages().size() <= RunFacts.MESSAGES_SHOWN);
        assertTrue(second.lines().stream().anyMatch(l -> l.startsWith("RULE SET REFUSED") && l.contains(refused.version())
            && l.contains(refused.versionUsed())), second.lines()::toString);
        JsonNode json = Json.MAPPER.readTree(Json.write(second.asMap()));
        assertEquals(refused.versionUsed(), json.path("rule_set_refused").path("version_used").asText(), json::toString);
        assertEquals(refused.messages().size(), json.path("rule_set_refused").path("messages").size());
        assertEquals(1, second.strictProblems().size(), second.strictProblems()::toString);
      }
    } finally {
      drop();
    }
  }

  @Test
  void aTransactionFileWithoutRowsIsReportedAndTheCustomersAlreadyInTheStoreAreCounted() throws Exception {
    try {
      Settings s = quick(Map.of());
      try (Store store = Stores.open(s)) {
        MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(small());
        assertTrue(first.facts().emptyFiles().isEmpty());
        assertEquals(first.ingest().customers(), first.facts().customersInFile());

        Path empty = headerOnly();
        MainJob.Summary second = new MainJob(s, store, MainJob.silent())
            .run(new MainJob.Options(empty, TransactionFormat.ONLINE_RETAIL, null, false));
        assertEquals(0, second.ingest().read());
        assertEquals(List.of(empty.toString()), second.facts().emptyFiles());
        assertEquals(0, second.facts().customersInFile());
        assertEquals(second.decisions().decisions(), second.facts().customersFromEarlierIngests());
        assertEquals(first.decisions().decisions(), second.decisions().decisions(), "the store's customers, again");
        String line = String.format(java.util.Locale.ROOT, "EMPTY INPUT: %s yielded 0 rows; the run decided the %,d"
            + " customers already in the store", empty, second.decisions().decisions());
        assertTrue(second.lines().contains(line), second.lines()::toString);
        JsonNode json = Json.MAPPER.readTree(Json.write(second.asMap()));
        assertEquals(empty.toString(), json.path("empty_files").path(0).asText(), json::toString);
        assertEquals(second.decisions().decisions(), json.path("customers_from_earlier_ingests").asLong());
        assertEquals(1, second.strictProblems().size(), second.strictProblems()::toString);
      }
    } finally {
      drop();
    }
  }

  @Test
  void customersHeldByContactFatigueFromEarlierRunsOfTheDayAreCounted() throws Exception {
    try {
      Settings s = quick(Map.of());
      MainJob.Options o = small();
      try (Store store = Stores.open(s)) {
        MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(o);
        assertEquals(0, first.facts().heldByFatigue(), "no earlier contacts");
        assertTrue(first.decisions().contacts() > 0, "the sample's facts give consent to some");
        // two more runs earlier the same day contacted the same customers again and delivered (their contact log,
        // written directly to keep the test short): with the default limit of 3 contacts, the next run holds them all
        // back
        int limit = s.intValue("valuetier.decide.fatigue.max-contacts", 1, 100);
        long logged = store.queryLong("SELECT COUNT(*) FROM contact_log");
        for (int k = 1; k < limit; k++) { // ids of their own inside run 1's range (the retention purge keeps them)
          store.execute("INSERT INTO contact_log (decision_id, customer_id, action_code, channel, contacted_at,"
              + " delivered_at) SELECT decision_id + ?, customer_id, action_code, channel, contacted_at, delivered_at"
              + " FROM contact_log"
              + " WHERE decision_id < ?", k * 1_000_000L, io.valuetier.decide.trace.DecisionLog.firstDecisionId(1) + 1_000_000L);
        }
        assertEquals(limit * logged, store.queryLong("SELECT COUNT(*) FROM contact_log"));

        MainJob.Summary second = new MainJob(s, store, MainJob.silent()).run(o);
        long held = second.facts().heldByFatigue();
        assertEquals(first.decisions().contacts(), held, "every customer contacted earlier is held back");
        assertTrue(second.decisions().contacts() < first.decisions().contacts());
        assertTrue(second.lines().stream().anyMatch(l -> l.startsWith(String.format(java.util.Locale.ROOT,
            "contact fatigue: %,d customers", held))), second.lines()::toString);
        assertEquals(held, Json.MAPPER.readTree(Json.write(second.asMap())).path("held_by_contact_fatigue").asLong());
      }
    } finally {
      drop();
    }
  }

  @Test
  void customersWithoutFactsAreCountedAsConsentUnknown() throws Exception {
    try {
      Settings s = quick(Map.of());
      MainJob.Options withFacts = small();
      MainJob.Options withoutFacts =
          new MainJob.Options(withFacts.transactions(), withFacts.format(), null, false);
      try (Store store = Stores.open(s)) {
        MainJob.Summary none = new MainJob(s, store, MainJob.silent()).run(withoutFacts);
        assertEquals(none.customersScored(), none.facts().withoutFacts(), "no facts given: every consent unknown");
        assertEquals(0, none.decisions().contacts(), "unknown consent counts as no consent");
        assertTrue(none.lines().stream().anyMatch(l -> l.startsWith(String.format(java.util.Locale.ROOT,
            "none of the %,d customers has a known marketing consent", none.customersScored()))),
            none.lines()::toString);

        MainJob.Summary some = new MainJob(s, store, MainJob.silent()).run(withFacts);
        long known = store.queryLong("SELECT COUNT(*) FROM scores s JOIN customers c ON c.customer_id = s.customer_id"
            + " WHERE c.marketing_consent IS NOT NULL");
        assertTrue(known > 0);
        assertEquals(some.customersScored() - known, some.facts().withoutFacts());
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
