package io.valuetier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.decide.ChallengerRuleSets;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.Population;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
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
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The scale-out path end to end: a real broker started from Kafka's server library (KRaft, its own JVM), the real
 * MariaDB, and three workers in processes of their own ({@code valuetier worker}), one of them killed with SIGKILL
 * half-way. Afterwards every event is stored once, every customer has one decision per valid event, the actions topic
 * read committed holds each decision once, the workers granted no more than their shared offer budget, and every bad
 * event is on the dead-letter topic with its reason; a rule-set change announced on the control topic reaches both
 * surviving workers within 5 s.
 *
 * <p>{@code mvn verify} runs the size of issue 17: 3,000 customers, 30,000 events (about three minutes on the 2-core
 * machine, docs/scale-out.md, BENCHMARKS.md); a smaller run for a quick look is
 * {@code mvn -o -q test -Dtest=WorkersExactlyOnceTest -Dvaluetier.test.kafka.customers=300
 * -Dvaluetier.test.kafka.events-per-customer=8}.
 */
class WorkersExactlyOnceTest {
  private static final int CUSTOMERS = Integer.getInteger("valuetier.test.kafka.customers", 3000);
  private static final int EVENTS_PER_CUSTOMER = Integer.getInteger("valuetier.test.kafka.events-per-customer", 10);
  private static final List<String> WORKERS = List.of("w1", "w2", "w3");
  /** Every 50th event has a quantity that is no number: the dead-letter topic gets it. */
  private static final int BAD_EVERY = 50;
  /** The offer budget the workers share: far less than the offers their customers are proposed. */
  private static final BigDecimal BUDGET = new BigDecimal("50");

  @Test
  void threeWorkersOneKilledHalfWayDecideEveryEventExactlyOnce() throws Exception {
    Path work = Files.createTempDirectory("valuetier-kafka");
    String url = TestStores.createMysqlDatabase("vt_kafka");
    List<Process> workers = new ArrayList<>();
    int port = TestStores.freePort();
    int controllerPort = TestStores.freePort();
    Path registry = work.resolve("models");
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), registry);
    Map<String, String> o = new HashMap<>();
    o.put("valuetier.model.registry-dir", registry.toString());
    o.put("valuetier.kafka.bootstrap-servers", "127.0.0.1:" + port);
    o.put("valuetier.kafka.partitions", "6");
    o.put("valuetier.kafka.max-poll-records", "100");
    o.put("valuetier.kafka.transaction-timeout-ms", "8000");
    o.put("valuetier.decide.offer-budget", BUDGET.toPlainString());
    Settings s = TestStores.settings(url, work, o);
    long t0 = System.nanoTime();
    KafkaSettings kafka = KafkaSettings.from(s);
    try (Store store = Stores.open(s)) {
      Population.write(store, CUSTOMERS, 11); // facts (consent, complaints, ...) and stored scores of c0..c249
      // the rule set is stored as active once, before two workers start at the same moment
      RuleSetRegistry.fromSettings(DecideSettings.from(s), store).start();
      Map<String, String> env = new HashMap<>();
      for (String k : List.of("valuetier.db.url", "valuetier.db.user", "valuetier.db.password",
          "valuetier.model.registry-dir", "valuetier.kafka.bootstrap-servers", "valuetier.kafka.partitions",
          "valuetier.kafka.max-poll-records", "valuetier.kafka.transaction-timeout-ms",
          "valuetier.decide.offer-budget")) {
        env.put(Settings.envName(k), s.get(k, ""));
      }
      // the workers load their rules and model while the broker starts; they wait for it before joining the group
      for (String w : WORKERS) {
        workers.add(worker(w, env, work));
      }
      try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), port, controllerPort,
          TestStores.home().resolve("target/kafka-broker"))) {
        phase("broker up", t0);
        decideExactlyOnce(s, store, kafka, workers, work, t0);
      }
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
      TestStores.dropMysql(url);
    }
  }

  private static void decideExactlyOnce(
      Settings s, Store store, KafkaSettings kafka, List<Process> workers, Path work, long t0) throws Exception {
    await("every worker owns partitions", Duration.ofSeconds(90), () -> members(kafka) == WORKERS.size(), work);

    phase("workers own partitions", t0);
    Map<String, Integer> valid = new TreeMap<>();
    int bad = produce(kafka, valid);
    int validTotal = valid.values().stream().mapToInt(Integer::intValue).sum();

    Duration allowed = Duration.ofSeconds(Math.max(60, validTotal / 40));
    await("half of the events decided", allowed,
        () -> store.queryLong("SELECT COUNT(*) FROM stream_events") >= validTotal / 2, work);
    phase("half decided", t0);
    workers.get(0).destroyForcibly(); // SIGKILL: no shutdown hook, its open Kafka transaction stays open
    assertTrue(workers.get(0).waitFor(10, TimeUnit.SECONDS));
    long atKill = store.queryLong("SELECT COUNT(*) FROM stream_events");
    assertTrue(atKill < validTotal, "killed half-way, not after the end: " + atKill + " of " + validTotal);

    await("every valid event decided", allowed,
        () -> store.queryLong("SELECT COUNT(*) FROM stream_events") == validTotal, work);

    phase("all " + validTotal + " decided", t0);
    // every event stored once
    assertEquals(validTotal, store.queryLong("SELECT COUNT(*) FROM transactions"));
    assertEquals(validTotal, store.queryLong("SELECT COUNT(DISTINCT order_id) FROM transactions"));
    // every customer has one decision per valid event of theirs, made by the two workers' runs
    Map<String, Integer> decided = new TreeMap<>();
    store.forEachRow("decisions per customer", "SELECT customer_id, COUNT(*) FROM decision_rows GROUP BY customer_id",
        rs -> decided.put(rs.getString(1), rs.getInt(2)));
    assertEquals(valid, decided);
    assertEquals(WORKERS.size(), store.queryLong("SELECT COUNT(DISTINCT run_id) FROM decision_rows"),
        "every worker decided before one was killed");
    Set<String> decisionIds = new HashSet<>();
    store.forEachRow("decision ids", "SELECT decision_id FROM decision_rows",
        rs -> decisionIds.add(Long.toString(rs.getLong(1))));

    // the workers drew from one offer budget: between them they granted no more than it, and exactly what they drew
    BigDecimal granted = new BigDecimal(store.queryString("SELECT COALESCE(SUM(offer_cost), 0) FROM decisions"));
    Map<String, Long> byAction = new TreeMap<>();
    store.forEachRow("actions", "SELECT value_tier, action_code, COUNT(*) FROM decisions GROUP BY value_tier, action_code",
        rs -> byAction.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3)));
    assertTrue(granted.signum() > 0 && granted.compareTo(BUDGET) <= 0,
        "granted " + granted + " of " + BUDGET + "; decisions by tier and action " + byAction);
    assertEquals(0, BUDGET.subtract(granted).compareTo(new BigDecimal(store.queryString(
        "SELECT remaining FROM offer_budgets WHERE budget_id = ?", kafka.budgetId()))), "drawn what was granted");
    System.out.println("offers granted: " + granted + " of " + BUDGET + "; refused: "
        + store.queryLong("SELECT COUNT(*) FROM decisions WHERE guardrails LIKE '%BUDGET_CAP%'"));
    assertTrue(store.queryLong("SELECT COUNT(*) FROM decisions WHERE guardrails LIKE '%BUDGET_CAP%'") > 0,
        "the budget ran out: later offers were refused");

    // the actions topic, read committed, holds each decision once, keyed by its customer
    List<ConsumerRecord<String, String>> actions = readCommitted(kafka, kafka.actionsTopic(), validTotal);
    List<String> actionIds = new ArrayList<>();
    for (ConsumerRecord<String, String> r : actions) {
      JsonNode a = Json.MAPPER.readTree(r.value());
      actionIds.add(a.path("decision_id").asText());
      assertEquals(r.key(), a.path("customer_id").asText(), r.value());
      assertFalse(a.path("action").asText().isEmpty(), r.value());
      assertFalse(a.path("tier").asText().isEmpty(), r.value());
    }
    assertEquals(validTotal, actionIds.size(), "one action per decision, none twice");
    assertEquals(decisionIds, new HashSet<>(actionIds));

    // every bad event is on the dead-letter topic with its reason and where it was read
    List<ConsumerRecord<String, String>> rejected = readCommitted(kafka, kafka.deadLetterTopic(), bad);
    assertEquals(bad, rejected.size());
    for (ConsumerRecord<String, String> r : rejected) {
      JsonNode x = Json.MAPPER.readTree(r.value());
      assertEquals("quantity", x.path("column").asText(), r.value());
      assertFalse(x.path("reason").asText().isEmpty(), r.value());
      assertTrue(x.path("event").asText().contains("\"quantity\":\"x\""), r.value());
    }
    // and in rejected_records once each (redelivered or not), keyed by partition and offset, as the dead letters say
    Set<String> deadLetters = new HashSet<>();
    for (ConsumerRecord<String, String> r : rejected) {
      JsonNode x = Json.MAPPER.readTree(r.value());
      deadLetters.add("kafka:" + x.path("topic").asText() + "/" + x.path("partition").asInt() + "@"
          + x.path("offset").asLong());
    }
    Set<String> stored = new HashSet<>();
    store.forEachRow("rejected events", "SELECT s.first_path, r.line_no, r.column_name FROM rejected_records r"
        + " JOIN ingest_sources s ON s.source_id = r.source_id WHERE s.first_path LIKE 'kafka:%'", rs -> {
          stored.add(rs.getString(1) + "@" + rs.getLong(2));
          assertEquals("quantity", rs.getString(3));
        });
    assertEquals(deadLetters, stored);

    // a rule-set change activated on another instance and announced reaches the surviving worker within 5 s, and
    // the decisions after it carry the new version
    String before = store.queryString("SELECT DISTINCT rule_set FROM decisions");
    RuleSetRegistry other = new RuleSetRegistry(ChallengerRuleSets.goldEndsAt90(work.resolve("changed")),
        new RuleSetHistory(store), DecideSettings.from(s).guardrails());
    String changed = other.start().version();
    assertNotEquals(before, changed);
    long announced = System.nanoTime();
    ControlTopic.announce(kafka, ControlTopic.RULE_SET, changed);
    await("the surviving workers follow the announced rule set", Duration.ofSeconds(5),
        () -> output(work, "w2").contains("decides with rule set " + changed)
            && output(work, "w3").contains("decides with rule set " + changed), work);
    phase("the surviving workers follow the announced rule set", announced);
    Set<Long> decidedBefore = eventDecisions(store);
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      for (int c = 0; c < 10; c++) {
        producer.send(new ProducerRecord<>(kafka.transactionsTopic(), "c" + c,
            event(100_000 + c, "c" + c, 11, new Random(c), "2", 1)));
      }
    }
    await("the events after the announcement decided", Duration.ofSeconds(30),
        () -> store.queryLong("SELECT COUNT(*) FROM stream_events") == validTotal + 10, work);
    Set<Long> after = eventDecisions(store);
    after.removeAll(decidedBefore);
    assertEquals(10, after.size());
    assertEquals(List.of(changed), rulesOf(store, after));

    for (Process w : workers.subList(1, workers.size())) {
      w.destroy();
    }
    for (Process w : workers.subList(1, workers.size())) {
      assertTrue(w.waitFor(30, TimeUnit.SECONDS), "the worker stops on SIGTERM");
    }
  }

  /** Writes the events, keyed by customer; returns the number of bad ones and fills the valid ones per customer. */
  private static int produce(KafkaSettings kafka, Map<String, Integer> valid) throws Exception {
    Random r = new Random(17);
    int bad = 0;
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      int n = 0;
      for (int e = 0; e < EVENTS_PER_CUSTOMER; e++) {
        for (int c = 0; c < CUSTOMERS; c++) {
          String customer = "c" + c;
          boolean isBad = ++n % BAD_EVERY == 0;
          String quantity = isBad ? "\"x\"" : Integer.toString(1 + r.nextInt(6));
          // every tenth customer buys dear: a high predicted value, a tier whose action is a costly voucher
          // months February to November (none in the future), however many events a customer has
          int month = 2 + e * 9 / Math.max(1, EVENTS_PER_CUSTOMER - 1);
          String event = event(n, customer, month, r, quantity, c % 10 == 0 ? 500 : 1);
          producer.send(new ProducerRecord<>(kafka.transactionsTopic(), customer, event));
          if (isBad) {
            bad++;
          } else {
            valid.merge(customer, 1, Integer::sum);
          }
        }
      }
      producer.flush();
    }
    return bad;
  }

  /** One transaction event as JSON, the fields of POST /api/v1/events/transactions. */
  private static String event(int n, String customer, int month, Random r, String quantity, int dear) {
    return String.format(Locale.ROOT,
        "{\"order_id\":\"K%d\",\"customer_id\":\"%s\",\"order_date\":\"2026-%02d-%02d 10:%02d:00\","
            + "\"product_id\":\"SKU%d\",\"quantity\":%s,\"unit_price\":%.2f,\"currency\":\"GBP\","
            + "\"country\":\"United Kingdom\"}",
        n, customer, month, 1 + r.nextInt(28), r.nextInt(60), r.nextInt(40), quantity,
        dear * (1 + r.nextInt(5000) / 100.0));
  }

  private static KafkaProducer<String, String> producer(KafkaSettings kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** The decisions of the events decided so far (each worker's decision ids are a range of its own run). */
  private static Set<Long> eventDecisions(Store store) {
    Set<Long> ids = new HashSet<>();
    store.forEachRow("event decisions", "SELECT decision_id FROM stream_events", rs -> ids.add(rs.getLong(1)));
    return ids;
  }

  private static List<String> rulesOf(Store store, Set<Long> decisionIds) {
    List<String> out = new ArrayList<>();
    String in = String.join(",", decisionIds.stream().map(String::valueOf).toList());
    store.forEachRow("rule sets", "SELECT DISTINCT rule_set FROM decisions WHERE decision_id IN (" + in + ")",
        rs -> out.add(rs.getString(1)));
    return out;
  }

  private static String output(Path work, String worker) {
    try {
      return Files.readString(work.resolve(worker + ".out"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static List<ConsumerRecord<String, String>> readCommitted(KafkaSettings kafka, String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // read until the expected count, then a little longer: a duplicate would show as more
      while (System.nanoTime() < quietUntil) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
          out.add(r);
        }
        if (out.size() >= expected) {
          quietUntil = Math.min(quietUntil, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        }
      }
    }
    return out;
  }

  private static int members(KafkaSettings kafka) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConsumerGroupDescription g =
          admin.describeConsumerGroups(List.of(kafka.group())).all().get(10, TimeUnit.SECONDS).get(kafka.group());
      return (int) g.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    } catch (Exception e) {
      return 0;
    }
  }

  private static Process worker(String name, Map<String, String> env, Path work) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dvaluetier.home=" + TestStores.home(), "-cp", System.getProperty("java.class.path"),
        "io.valuetier.cli.Main", "worker", "--name", name);
    b.environment().putAll(env);
    return b.redirectErrorStream(true).redirectOutput(work.resolve(name + ".out").toFile()).start();
  }

  private static void await(String what, Duration limit, BooleanSupplier done, Path work) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (String w : WORKERS) {
          Path f = work.resolve(w + ".out");
          if (Files.exists(f)) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            logs.append("\n").append(w).append(": ")
                .append(String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
          }
        }
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what + logs);
      }
      Thread.sleep(100);
    }
  }

  private static void phase(String what, long t0) {
    System.out.printf(Locale.ROOT, "%.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
  }
}
