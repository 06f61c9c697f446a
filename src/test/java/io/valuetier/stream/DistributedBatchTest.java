package io.valuetier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.bench.OnlineRetailShop;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The distributed batch of issue 17 end to end: the same synthetic shop and the same champion model (the committed
 * compat registry, {@code run --score-only}) scored and decided by a one-process {@code run} into one MariaDB database
 * and by {@code run --workers} (the workers score the buckets, rank them among the run, decide them) with two worker
 * processes (one {@code worker --batch-only}, one full worker that takes
 * events too) into another, on a real broker
 * started from Kafka's server library; one worker is SIGKILLed after its first bucket, in the middle of its next. The
 * two runs agree customer by customer (every column of the score, the value percentile included; tier, action,
 * channel, offer, its cost, control group, guardrails: so the budget went to the same customers), each customer is
 * scored and decided once, every bucket is stored once, the killed
 * worker's bucket was redone by the other, and the published action file has one line per customer.
 *
 * <p>{@code mvn verify} runs {@value #DEFAULT_CUSTOMERS} customers; the size, 50,000, is
 * {@code mvn -o -q test -Dtest=DistributedBatchTest -Dvaluetier.test.batch.customers=50000} (measured in
 * docs/scale-out.md): at 50,000 this class alone cost the suite about 2.5 minutes of CPU on 2 cores, more than the
 * suite's budget allows beside the exactly-once test at its issue size.
 */
class DistributedBatchTest {
  private static final int DEFAULT_CUSTOMERS = 20_000;
  private static final int CUSTOMERS = Integer.getInteger("valuetier.test.batch.customers", DEFAULT_CUSTOMERS);
  private static final int BUCKETS = 12;
  private static final int PARTITIONS = 4;
  private static final Pattern DECIDING = Pattern.compile("w1: deciding bucket (\\d+) of \\d+ of run (\\d+)");
  private static final Pattern STORED = Pattern.compile("w1: stored bucket (\\d+) of \\d+ of run (\\d+)");
  /** The columns of a decision that the two runs must agree on. */
  private static final String DECIDED = "SELECT customer_id, value_tier, action_code, channel, offer, offer_cost,"
      + " control_group, guardrails FROM decisions WHERE run_id = ?";

  @Test
  void twoWorkersOneKilledMidRunDecideAsOneProcessDoes() throws Exception {
    Path work = Files.createTempDirectory("valuetier-batch");
    String oneUrl = TestStores.createMysqlDatabase("vt_batch_one");
    String distUrl = TestStores.createMysqlDatabase("vt_batch_dist");
    List<Process> processes = new ArrayList<>();
    int port = TestStores.freePort();
    int controllerPort = TestStores.freePort();
    long t0 = System.nanoTime();
    boolean passed = false;
    try {
      Path transactions = work.resolve("shop.csv.gz");
      OnlineRetailShop.write(transactions, CUSTOMERS, 3);
      Path facts = facts(work.resolve("customers.csv"), CUSTOMERS);
      // an offer budget that runs out: which customers get it must come out the same
      BigDecimal budget = BigDecimal.valueOf(CUSTOMERS / 2);
      Map<String, String> one = env(oneUrl, work.resolve("one"), port, budget);
      Map<String, String> dist = env(distUrl, work.resolve("dist"), port, budget);
      List<String> run = List.of("run", "--score-only", "--json", "--transactions", transactions.toString(),
          "--format", "online-retail", "--customers", facts.toString());
      // the workers start before the broker, as on a machine whose services start together: they wait for it
      Process w1 = java("w1", dist, work, "-Xmx768m", "worker", "--name", "w1", "--batch-only");
      // w2 is a full worker (events and buckets); the store has no champion of its own, the registry's serves
      Process w2 = java("w2", dist, work, "-Xmx768m", "worker", "--name", "w2");
      processes.addAll(List.of(w1, w2));
      try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), port, controllerPort,
          TestStores.home().resolve("target/kafka-broker"));
          Store oneStore = TestStores.openMysql(oneUrl);
          Store distStore = TestStores.openMysql(distUrl)) {
        phase("broker up", t0);
        Process single = java("one", one, work, "-Xmx2g", run.toArray(String[]::new));
        processes.add(single);
        assertEquals(0, single.waitFor(), () -> tail(work, "one"));
        JsonNode oneSummary = summary(work, "one");
        phase("one-process run done: " + oneSummary.path("decisions").asLong() + " decisions", t0);

        List<String> withWorkers = new ArrayList<>(run);
        withWorkers.add("--workers");
        Process coordinator = java("coordinator", dist, work, "-Xmx2g", withWorkers.toArray(String[]::new));
        processes.add(coordinator);
        // SIGKILL w1 in the middle of a bucket: once it has stored one and started the next
        int[] killed = {-1};
        await("w1 stores a bucket and starts another", Duration.ofMinutes(20), () -> {
          killed[0] = startedNotStored(work);
          return killed[0] >= 0 || !coordinator.isAlive();
        }, work);
        assertTrue(killed[0] >= 0, "w1 stored a bucket and started another before the run ended: " + tail(work, "w1"));
        w1.destroyForcibly();
        assertTrue(w1.waitFor(10, TimeUnit.SECONDS));
        phase("w1 killed in bucket " + killed[0], t0);
        long runId = runOf(work);
        long storedAtKill = distStore.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE run_id = ?", runId);
        assertTrue(storedAtKill < BUCKETS, "killed mid-run: " + storedAtKill + " of " + BUCKETS + " buckets stored");

        assertEquals(0, coordinator.waitFor(), () -> tail(work, "coordinator") + tail(work, "w2"));
        JsonNode distSummary = summary(work, "coordinator");
        phase("distributed run done: " + distSummary.path("decisions").asLong() + " decisions", t0);
        assertEquals(runId, distSummary.path("decision_run").asLong());

        // every bucket stored once; the bucket w1 died in was redone by w2, and w1's partitions moved to w2
        assertEquals(BUCKETS, distStore.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE run_id = ?", runId));
        String redoneBy = distStore.queryString("SELECT worker FROM batch_buckets WHERE run_id = ? AND bucket = ?",
            runId, killed[0]);
        if (!redoneBy.equals("w2")) {
          // the one case that is not a redo: w1 committed the bucket in the instant between the look and the kill
          System.out.println("w1 stored bucket " + killed[0] + " as it was killed");
        }
        assertTrue(redoneBy.equals("w2") || redoneBy.equals("w1") && storedByW1(work) < storedBy(distStore, runId),
            "bucket " + killed[0] + " stored by " + redoneBy);
        Set<Integer> w1Partitions = new HashSet<>();
        for (String line : lines(work, "w1")) {
          Matcher d = DECIDING.matcher(line);
          if (d.find()) {
            w1Partitions.add(Integer.parseInt(d.group(1)) % PARTITIONS);
          }
        }
        long takenOver = 0;
        for (int b = 0; b < BUCKETS; b++) {
          if (w1Partitions.contains(b % PARTITIONS) && "w2".equals(distStore.queryString(
              "SELECT worker FROM batch_buckets WHERE run_id = ? AND bucket = ?", runId, b))) {
            takenOver++;
          }
        }
        assertTrue(takenOver > 0, "w2 decided buckets of the partitions w1 held");
        assertTrue(distStore.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE run_id = ? AND worker = 'w1'",
            runId) >= 1);
        assertEquals(0, distStore.queryLong("SELECT COUNT(*) FROM batch_costly"), "forgotten once the run finished");

        // the workers scored every bucket once, and every customer got the score of the one-process run
        assertEquals(BUCKETS, distStore.queryLong("SELECT COUNT(*) FROM batch_score_buckets WHERE run_id = ?", runId));
        assertEquals(oneSummary.path("customers_scored").asLong(), distStore.queryLong(
            "SELECT SUM(customers) FROM batch_score_buckets WHERE run_id = ?", runId));
        assertEquals(0, distStore.queryLong("SELECT COUNT(*) FROM batch_score_buckets WHERE ids IS NOT NULL"
            + " OR spends IS NOT NULL"), "no customer id kept once the run finished");
        Map<String, String> oneScores = scores(oneStore);
        Map<String, String> distScores = scores(distStore);
        assertEquals(oneSummary.path("customers_scored").asLong(), oneScores.size());
        assertSameByCustomer(oneScores, distScores, "scores");
        assertEquals(0, distStore.queryLong("SELECT COUNT(*) FROM scores WHERE value_percentile < 0"));

        // the same decisions, customer by customer
        long oneRun = oneSummary.path("decision_run").asLong();
        Map<String, String> expected = decisions(oneStore, oneRun);
        Map<String, String> actual = decisions(distStore, runId);
        assertEquals(oneSummary.path("customers_scored").asLong(), expected.size());
        assertEquals(expected.size(), distStore.queryLong("SELECT COUNT(*) FROM decision_rows WHERE run_id = ?",
            runId), "each customer decided once");
        assertEquals(expected.size(), actual.size());
        assertSameByCustomer(expected, actual, "decisions");
        // the budget bound: some offers granted, some refused, the same in both runs
        assertTrue(oneStore.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ? AND guardrails LIKE"
            + " '%BUDGET_CAP%'", oneRun) > 0, "the budget refused offers");
        BigDecimal granted = new BigDecimal(distStore.queryString(
            "SELECT COALESCE(SUM(offer_cost), 0) FROM decisions WHERE run_id = ?", runId));
        assertTrue(granted.signum() > 0 && granted.compareTo(budget) <= 0, "granted " + granted + " of " + budget);
        assertEquals(oneSummary.path("per_tier"), distSummary.path("per_tier"));
        assertEquals(oneSummary.path("per_action"), distSummary.path("per_action"));
        assertEquals(oneSummary.path("guardrail_interventions"), distSummary.path("guardrail_interventions"));

        // published: one line per customer in both
        assertEquals(expected.keySet(), published(oneSummary));
        assertEquals(expected.keySet(), published(distSummary));
        phase("compared " + expected.size() + " customers", t0);
      }
      passed = true;
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      TestStores.dropMysql(oneUrl);
      TestStores.dropMysql(distUrl);
      if (passed) { // the broker's log and the processes' outputs stay for a failed run to be read
        deleteTree(work);
      }
    }
  }

  /** The same value for every customer; else the first five that differ. */
  private static void assertSameByCustomer(Map<String, String> expected, Map<String, String> actual, String what) {
    List<String> differ = new ArrayList<>();
    expected.forEach((c, v) -> {
      if (!v.equals(actual.get(c)) && differ.size() < 5) {
        differ.add(c + ": " + v + " vs " + actual.get(c));
      }
    });
    assertEquals(List.of(), differ, what + " that differ");
    assertEquals(expected, actual);
  }

  /** Each customer's score: every column but when it was written and by which scoring run. */
  private static Map<String, String> scores(Store store) {
    Map<String, String> out = new HashMap<>();
    store.forEachRow("scores", "SELECT customer_id, model_id, model_version, cutoff_date, horizon_days,"
        + " predicted_spend, probability_active, value_percentile, cold_start, tenure_days, returns_ratio, reason_1,"
        + " reason_2, reason_3, reason_codes, predicted_spend_low, predicted_spend_high FROM scores", rs -> {
          StringBuilder b = new StringBuilder();
          for (int i = 2; i <= 17; i++) {
            b.append(rs.getString(i)).append('|');
          }
          out.put(rs.getString(1), b.toString());
        });
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A customer facts file for the shop's customers: consent, loyalty, complaints and fraud spread by id. */
  private static Path facts(Path file, int customers) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag\n");
      for (int i = 0; i < customers; i++) {
        w.write(String.format(Locale.ROOT, "%d,retail,United Kingdom,%s,%s,2009-06-01,%d,%s%n", 12_346 + i,
            i % 9 == 0 ? "no" : "yes", i % 3 == 0 ? "yes" : "no", i % 17 == 0 ? 1 : 0, i % 101 == 0 ? "yes" : "no"));
      }
    }
    return file;
  }

  /** The settings of one side as the environment of its processes: database, output folders, broker, budget. */
  private static Map<String, String> env(String url, Path dir, int port, BigDecimal budget) throws IOException {
    Path registry = dir.resolve("models");
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), registry);
    Map<String, String> o = new HashMap<>();
    o.put("valuetier.model.registry-dir", registry.toString());
    o.put("valuetier.publish.folder", dir.resolve("actions").toString());
    o.put("valuetier.run.report", dir.resolve("report.html").toString());
    o.put("valuetier.kafka.bootstrap-servers", "127.0.0.1:" + port);
    o.put("valuetier.kafka.partitions", Integer.toString(PARTITIONS));
    o.put("valuetier.kafka.buckets", Integer.toString(BUCKETS));
    o.put("valuetier.decide.offer-budget", budget.toPlainString());
    Settings s = TestStores.settings(url, dir, o);
    Map<String, String> env = new HashMap<>();
    List<String> keys = new ArrayList<>(o.keySet());
    keys.addAll(List.of("valuetier.db.url", "valuetier.db.user", "valuetier.db.password", "valuetier.deadletter.uri"));
    for (String k : keys) {
      env.put(Settings.envName(k), s.get(k, ""));
    }
    return env;
  }

  private static Process java(String name, Map<String, String> env, Path work, String heap, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", heap, "-XX:+UseSerialGC", "-Dvaluetier.home=" + TestStores.home(),
        "-cp", System.getProperty("java.class.path"), "io.valuetier.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd);
    b.environment().putAll(env);
    return b.redirectErrorStream(true).redirectOutput(work.resolve(name + ".out").toFile()).start();
  }

  /** The bucket w1 has started and not stored, once it has stored one; -1 before. */
  private static int startedNotStored(Path work) {
    Set<String> started = new HashSet<>();
    Set<String> stored = new HashSet<>();
    String last = null;
    for (String line : lines(work, "w1")) {
      Matcher d = DECIDING.matcher(line);
      if (d.find()) {
        started.add(d.group(1));
        last = d.group(1);
      }
      Matcher s = STORED.matcher(line);
      if (s.find()) {
        stored.add(s.group(1));
      }
    }
    return !stored.isEmpty() && last != null && !stored.contains(last) ? Integer.parseInt(last) : -1;
  }

  /** Buckets w1 said it stored. */
  private static long storedByW1(Path work) {
    return lines(work, "w1").stream().filter(l -> STORED.matcher(l).find()).count();
  }

  /** Buckets of the run the store says w1 stored. */
  private static long storedBy(Store store, long runId) {
    return store.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE run_id = ? AND worker = 'w1'", runId);
  }

  /** The run w1 decided buckets of. */
  private static long runOf(Path work) {
    for (String line : lines(work, "w1")) {
      Matcher d = DECIDING.matcher(line);
      if (d.find()) {
        return Long.parseLong(d.group(2));
      }
    }
    throw new AssertionError("w1 decided no bucket");
  }

  /** Each customer's decision of the run, as one comparable line. */
  private static Map<String, String> decisions(Store store, long runId) {
    Map<String, String> out = new TreeMap<>();
    store.forEachRow("decisions", DECIDED, rs -> {
      BigDecimal cost = rs.getBigDecimal(6);
      out.put(rs.getString(1), String.join("|", rs.getString(2), rs.getString(3), rs.getString(4),
          rs.getString(5), cost == null ? null : cost.stripTrailingZeros().toPlainString(),
          Boolean.toString(rs.getBoolean(7)), rs.getString(8)));
    }, runId);
    return out;
  }

  /** The customers of the run's published action file, each once. */
  private static Set<String> published(JsonNode summary) throws IOException {
    JsonNode folder = summary.path("actions_folder");
    assertNotNull(folder.textValue(), summary.toString());
    List<String> lines = Files.readAllLines(Path.of(folder.textValue()).resolve("actions.jsonl"));
    Set<String> customers = new HashSet<>();
    for (String l : lines) {
      String c = Json.MAPPER.readTree(l).path("customer_id").asText();
      assertTrue(customers.add(c), "published twice: " + c);
    }
    assertEquals(summary.path("decisions").asLong(), lines.size());
    return customers;
  }

  /** The JSON summary a run printed (its last line that is a JSON object). */
  private static JsonNode summary(Path work, String name) throws IOException {
    List<String> lines = lines(work, name);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("{\"")) {
        return Json.MAPPER.readTree(lines.get(i));
      }
    }
    throw new AssertionError(name + " printed no summary:" + tail(work, name));
  }

  private static List<String> lines(Path work, String name) {
    try {
      return Files.readAllLines(work.resolve(name + ".out"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String tail(Path work, String name) {
    List<String> l = lines(work, name);
    return "\n" + name + ": " + String.join("\n  ", l.subList(Math.max(0, l.size() - 30), l.size()));
  }

  private static void await(String what, Duration limit, BooleanSupplier done, Path work) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what + tail(work, "w1")
            + tail(work, "w2") + tail(work, "coordinator"));
      }
      Thread.sleep(50);
    }
  }

  private static void phase(String what, long t0) {
    System.out.printf(Locale.ROOT, "%.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
  }
}
