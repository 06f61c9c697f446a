package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.act.ActionRecord;
import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.stream.EventLines;
import io.valuetier.stream.KafkaBroker;
import io.valuetier.stream.KafkaRoutes;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.stream.KafkaTopics;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka routes of {@code routes/} (camel-kafka on the project's kafka-clients 4.1.1) against a real broker started
 * from Kafka's server library (KRaft, its own JVM), loaded from the YAML files as {@code valuetier kafka routes} loads
 * them: events from a dropped file reach the transactions topic keyed by customer and bad lines are rejected with
 * their line and reason; committed actions reach the marketing file and those of an aborted transaction never do; a
 * failed write and a restart of the route neither lose nor skip a record. Each test has topics and a consumer group
 * of its own on the one broker of the class.
 */
class KafkaRoutesTest {
  private static final int PARTITIONS = 3;
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Actions of the SIGKILL test: enough that the kill comes mid-stream on a fast machine too. */
  private static final int CRASH_ACTIONS = 10_000;

  private static Path brokerDir;
  private static KafkaBroker broker;

  @TempDir Path work;

  @BeforeAll
  static void startBroker() throws IOException {
    brokerDir = Files.createTempDirectory("valuetier-kafka-routes");
    broker = KafkaBroker.start(brokerDir.resolve("kafka"), TestStores.freePort(), TestStores.freePort(),
        TestStores.home().resolve("target/kafka-broker"));
  }

  @AfterAll
  static void stopBroker() throws IOException {
    if (broker != null) {
      broker.close();
    }
    try (var files = Files.walk(brokerDir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  @Test
  void eventsOfADroppedFileReachTheTopicKeyedByCustomerAndBadLinesAreRejectedWithLineAndReason() throws Exception {
    Settings s = settings("events");
    KafkaSettings kafka = KafkaSettings.from(s);
    KafkaTopics.ensure(kafka);
    List<String> lines = new ArrayList<>();
    lines.add(event("E1", "c1"));
    lines.add(event("E2", "c2"));
    lines.add("this is not json");
    lines.add(event("E3", "c3"));
    lines.add("{\"order_id\":\"E9\",\"note\":\"" + "x".repeat(5000) + "\"}");
    lines.add("");
    lines.add("{\"order_id\":\"E8\",\"quantity\":1}");
    lines.add(event("E4", "c1"));
    lines.add(event("E5", "c2"));
    lines.add(event("E6", "c3"));
    Path drop = work.resolve("drop");
    Files.createDirectories(drop);
    Path staged = work.resolve("events.jsonl");
    Files.writeString(staged, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    EventLines eventLines = KafkaRoutes.eventLines(s);

    try (RouteHost host = start(s, eventLines, "kafka-events-in")) {
      Files.move(staged, drop.resolve("events.jsonl"), StandardCopyOption.ATOMIC_MOVE);
      await("the file read and moved to .done", () -> Files.exists(drop.resolve(".done/events.jsonl")));
    }

    List<ConsumerRecord<String, String>> sent = readCommitted(kafka.transactionsTopic(), 6);
    assertEquals(6, sent.size(), "the six good lines, once each: " + sent);
    assertEquals(6, eventLines.sentCount());
    Map<String, String> byOrder = new TreeMap<>();
    for (ConsumerRecord<String, String> r : sent) {
      JsonNode e = Json.MAPPER.readTree(r.value());
      assertEquals(e.get("customer_id").asText(), r.key(), "keyed by its customer");
      assertEquals(partitionOf(r.key()), r.partition(), "on the customer's partition (Kafka's key hash)");
      assertTrue(lines.contains(r.value()), "sent as it was in the file: " + r.value());
      byOrder.put(e.get("order_id").asText(), r.key() + "@" + r.partition());
    }
    assertEquals(Set.of("E1", "E2", "E3", "E4", "E5", "E6"), byOrder.keySet());
    assertEquals(byOrder.get("E1"), byOrder.get("E4"), "one customer, one partition");

    List<JsonNode> rejected = jsonLines(work.resolve("rejected/events-rejected-" + LocalDate.now() + ".jsonl"));
    assertEquals(3, rejected.size(), "not JSON, too long, no customer: " + rejected);
    assertRejected(rejected.get(0), 3, "BAD_JSON", "this is not json");
    assertRejected(rejected.get(1), 5, "RECORD_TOO_LONG", "{\"order_id\":\"E9\"");
    assertTrue(rejected.get(1).get("text").asText().length() < 2200, "only the start of a long line is kept");
    assertRejected(rejected.get(2), 7, "MISSING_CUSTOMER_ID", "{\"order_id\":\"E8\"");
    assertEquals(3, eventLines.rejectedCount());
  }

  @Test
  void aLargeFileIsSentInSlicesWithEachCustomersEventsInFileOrder() throws Exception {
    Settings s = settings("large");
    KafkaSettings kafka = KafkaSettings.from(s);
    KafkaTopics.ensure(kafka);
    int events = 10_000;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < events; i++) {
      sb.append(event("L" + i, "c" + (i % 300))).append('\n');
    }
    Path drop = work.resolve("drop");
    Files.createDirectories(drop);
    Path staged = work.resolve("events.jsonl");
    Files.writeString(staged, sb.toString(), StandardCharsets.UTF_8);
    EventLines eventLines = KafkaRoutes.eventLines(s);

    long sending;
    try (RouteHost host = start(s, eventLines, "kafka-events-in")) {
      long t0 = System.nanoTime();
      Files.move(staged, drop.resolve("events.jsonl"), StandardCopyOption.ATOMIC_MOVE);
      await("the file read and moved to .done", () -> Files.exists(drop.resolve(".done/events.jsonl")));
      sending = (System.nanoTime() - t0) / 1_000_000;
    }

    assertEquals(events, eventLines.sentCount());
    List<ConsumerRecord<String, String>> sent = readCommitted(kafka.transactionsTopic(), events);
    assertEquals(events, sent.size(), "each event once");
    Map<String, Integer> last = new HashMap<>();
    for (ConsumerRecord<String, String> r : sent) { // in offset order within each partition
      int order = Integer.parseInt(Json.MAPPER.readTree(r.value()).get("order_id").asText().substring(1));
      Integer before = last.put(r.key(), order);
      assertTrue(before == null || before < order, r.key() + ": " + before + " then " + order);
    }
    assertEquals(300, last.size());
    System.out.println(events + " events sent in " + sending + " ms (file dropped to moved to .done)");
  }

  @Test
  void kafkaSendGoesThroughTheSameRouteAndReportsWhatItRejected() throws Exception {
    Settings s = settings("send");
    KafkaSettings kafka = KafkaSettings.from(s);
    // an installation of its own: the repository's config and routes, with a profile naming this test's broker
    Path home = work.resolve("home");
    Files.createDirectories(home.resolve("config"));
    Files.copy(TestStores.home().resolve("config/application.properties"),
        home.resolve("config/application.properties"));
    TestStores.copyTree(TestStores.home().resolve("routes"), home.resolve("routes"));
    Files.writeString(home.resolve("config/application-kafkatest.properties"), String.join("\n",
        "valuetier.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "valuetier.kafka.partitions=" + PARTITIONS,
        "valuetier.kafka.topic.transactions=" + kafka.transactionsTopic(),
        "valuetier.kafka.topic.actions=" + kafka.actionsTopic(),
        "valuetier.kafka.topic.dead-letter=" + kafka.deadLetterTopic(),
        "valuetier.kafka.topic.control=" + kafka.controlTopic(),
        "valuetier.kafka.topic.work=" + kafka.workTopic(),
        "valuetier.kafka.routes.rejected.folder=" + work.resolve("rejected").toAbsolutePath(),
        "valuetier.deadletter.uri=file:" + work.resolve("deadletter").toAbsolutePath(), ""));
    Path events = work.resolve("events.jsonl");
    Files.writeString(events, event("S1", "c7") + "\n{broken\n\n" + event("S2", "c8") + "\n", StandardCharsets.UTF_8);

    int exit = io.valuetier.cli.Main.run("kafka", "send", events.toString(), "--json", "--home", home.toString(),
        "--profile", "kafkatest");

    assertEquals(0, exit, "every good line sent");
    List<ConsumerRecord<String, String>> sent = readCommitted(kafka.transactionsTopic(), 2);
    assertEquals(List.of("c7", "c8"), sent.stream().map(ConsumerRecord::key).sorted().toList());
    List<JsonNode> rejected = jsonLines(work.resolve("rejected/events-rejected-" + LocalDate.now() + ".jsonl"));
    assertEquals(1, rejected.size(), rejected.toString());
    assertRejected(rejected.getFirst(), 2, "BAD_JSON", "{broken");
  }

  @Test
  void committedActionsReachTheFileAndThoseOfAnAbortedTransactionNeverDo() throws Exception {
    Settings s = settings("actions");
    KafkaSettings kafka = KafkaSettings.from(s);
    KafkaTopics.ensure(kafka);
    Map<String, String> committed = new TreeMap<>();
    try (KafkaProducer<String, String> p = transactional("actions-test")) {
      p.initTransactions();
      p.beginTransaction();
      send(p, kafka.actionsTopic(), 0, 20, "d-", committed);
      p.commitTransaction();
      p.beginTransaction();
      send(p, kafka.actionsTopic(), 100, 10, "aborted-", new TreeMap<>());
      p.flush(); // on the log, then aborted: a read-uncommitted reader would see them
      p.abortTransaction();
      p.beginTransaction();
      send(p, kafka.actionsTopic(), 20, 20, "d-", committed);
      p.commitTransaction();
    }
    try (KafkaProducer<String, String> p = plain()) {
      p.send(new ProducerRecord<>(kafka.actionsTopic(), "c-x", "not json")).get(10, TimeUnit.SECONDS);
      p.send(new ProducerRecord<>(kafka.actionsTopic(), "c-x", "{\"note\":\"no decision\"}")).get(10, TimeUnit.SECONDS);
      p.send(new ProducerRecord<>(kafka.deadLetterTopic(), "c-y",
          "{\"reason\":\"BAD_QUANTITY\",\"topic\":\"t\",\"partition\":0,\"offset\":7,\"event\":\"{}\"}"))
          .get(10, TimeUnit.SECONDS);
    }
    Path actions = work.resolve("actions/actions-" + LocalDate.now() + ".jsonl");
    Path deadLetters = work.resolve("rejected/dead-letters-" + LocalDate.now() + ".jsonl");
    Path notActionsFile = work.resolve("rejected/actions-rejected-" + LocalDate.now() + ".jsonl");

    try (RouteHost host = start(s, KafkaRoutes.eventLines(s), "kafka-actions-out", "kafka-dead-letters-out")) {
      await("40 committed actions, two records that are no action and the dead letter written",
          () -> lineCount(actions) >= 40 && lineCount(notActionsFile) >= 2 && lineCount(deadLetters) >= 1);
    }

    List<String> written = Files.readAllLines(actions, StandardCharsets.UTF_8);
    assertEquals(40, written.size(), "each committed action once");
    assertFalse(written.stream().anyMatch(l -> l.contains("aborted-")), "no action of the aborted transaction");
    assertEquals(Set.copyOf(committed.values()), Set.copyOf(written), "the JSON lines of the action files");
    List<JsonNode> notActions = jsonLines(notActionsFile);
    assertEquals(2, notActions.size(), "the two records that are no action: " + notActions);
    Map<String, String> reasons = new TreeMap<>();
    for (JsonNode n : notActions) {
      reasons.put(n.get("record").asText(), n.get("reason").asText());
      assertEquals(kafka.actionsTopic(), n.get("topic").asText());
      assertTrue(n.get("offset").asLong() >= 0, "names its offset: " + n);
    }
    assertEquals(Map.of("not json", "NOT_JSON", "{\"note\":\"no decision\"}", "NOT_AN_ACTION"), reasons);
    List<JsonNode> dead = jsonLines(deadLetters);
    assertEquals(1, dead.size());
    assertEquals("BAD_QUANTITY", dead.getFirst().get("reason").asText());
  }

  @Test
  void aFailedWriteAndARestartOfTheRouteNeitherLoseNorSkipARecord() throws Exception {
    Settings s = settings("restart");
    KafkaSettings kafka = KafkaSettings.from(s);
    KafkaTopics.ensure(kafka);
    Map<String, String> expected = new TreeMap<>();
    produceCommitted(kafka.actionsTopic(), 0, 30, expected);
    Path actions = work.resolve("actions/actions-" + LocalDate.now() + ".jsonl");
    AtomicBoolean failedOnce = new AtomicBoolean();

    try (RouteHost host = RouteKit.start(s, KafkaRoutes.beans(KafkaRoutes.eventLines(s)),
        Set.of("kafka-actions-out"), false, ctx -> RouteKit.advise(ctx, "kafka-actions-out",
            a -> a.weaveAddFirst().process(ex -> {
              if (ex.getMessage().getBody(String.class).contains("\"d-12\"") && failedOnce.compareAndSet(false, true)) {
                throw new IOException("disk full (a test's failure before the write of d-12)");
              }
            })))) {
      await("the first 30 actions written", () -> distinctDecisions(actions).size() >= 30);
    }
    assertTrue(failedOnce.get(), "the write of d-12 failed once");
    produceCommitted(kafka.actionsTopic(), 30, 20, expected); // while the route is stopped

    try (RouteHost host = start(s, KafkaRoutes.eventLines(s), "kafka-actions-out")) {
      await("all 50 actions written", () -> distinctDecisions(actions).size() >= 50);
    }

    List<String> written = Files.readAllLines(actions, StandardCharsets.UTF_8);
    assertEquals(expected.keySet(), distinctDecisions(actions).keySet(), "none lost, none skipped");
    assertEquals(50, written.size(), "a stop between polls and a retried write write nothing twice: " + written);
    assertEquals(Set.copyOf(expected.values()), Set.copyOf(written));
  }

  @Test
  void aRouteKilledWithSigkillMidStreamLosesNothingAndWritesAgainOnlyWhatItHadNotCommitted() throws Exception {
    Settings s = settings("crash");
    KafkaSettings kafka = KafkaSettings.from(s);
    KafkaTopics.ensure(kafka);
    Map<String, String> expected = new TreeMap<>();
    for (int first = 0; first < CRASH_ACTIONS; first += 500) {
      produceCommitted(kafka.actionsTopic(), first, 500, expected);
    }
    Path actions = work.resolve("actions/actions-" + LocalDate.now() + ".jsonl");
    Map<String, String> env = new HashMap<>();
    for (String k : List.of("valuetier.kafka.bootstrap-servers", "valuetier.kafka.partitions",
        "valuetier.kafka.topic.transactions", "valuetier.kafka.topic.actions", "valuetier.kafka.topic.dead-letter",
        "valuetier.kafka.topic.control", "valuetier.kafka.topic.work", KafkaRoutes.ENABLED,
        "valuetier.kafka.routes.group", "valuetier.kafka.routes.events.from", "valuetier.kafka.routes.actions.folder",
        "valuetier.kafka.routes.rejected.folder", "valuetier.deadletter.uri")) {
      env.put(Settings.envName(k), s.require(k));
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder b = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dvaluetier.home=" + TestStores.home(), "-cp", System.getProperty("java.class.path"),
        "io.valuetier.cli.Main", "kafka", "routes");
    b.environment().putAll(env);
    Path out = work.resolve("routes.out");
    Process routes = b.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long written;
    try {
      await("the routes process writing actions (" + out + ")", () -> lineCount(actions) >= 300);
    } finally {
      routes.destroyForcibly(); // SIGKILL: no commit on the way out
      routes.waitFor(10, TimeUnit.SECONDS);
    }
    written = lineCount(actions);
    assertTrue(written < CRASH_ACTIONS, "killed mid-stream: " + written + " of " + CRASH_ACTIONS + " written");

    long t0 = System.nanoTime();
    try (RouteHost host = start(s, KafkaRoutes.eventLines(s), "kafka-actions-out")) {
      await("all actions written", () -> decisionIds(actions).size() >= CRASH_ACTIONS);
    }
    long restart = (System.nanoTime() - t0) / 1_000_000;

    String text = Files.readString(actions, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), "no line cut short by the kill");
    List<String> lines = List.of(text.split("\n"));
    assertEquals(expected.keySet(), distinctDecisions(actions).keySet(), "none lost");
    assertEquals(Set.copyOf(expected.values()), Set.copyOf(lines), "every line a whole action, as produced");
    int again = lines.size() - CRASH_ACTIONS;
    assertTrue(again <= 3 * 500, "written again at most what was read since the last commit of each partition (a"
        + " poll of 500 each): " + again);
    System.out.println("killed after " + written + " lines; " + again + " written again after the restart, which wrote"
        + " the rest in " + restart + " ms (with the group's session timeout)");
  }

  @Test
  void theRoutesStayStoppedUnlessEnabled() {
    Map<String, String> off = new HashMap<>();
    off.put("valuetier.kafka.bootstrap-servers", broker.bootstrapServers());
    Settings s = RouteKit.settings(work, off); // the shipped default: valuetier.kafka.routes.enabled=false
    assertFalse(s.bool(KafkaRoutes.ENABLED));
    try (RouteHost host = start(s, KafkaRoutes.eventLines(s), KafkaRoutes.FILES.toArray(String[]::new))) {
      for (String route : KafkaRoutes.FILES) {
        assertTrue(host.context().getRouteController().getRouteStatus(route).isStopped(), route + " is stopped");
      }
    }
    ConfigException refused = assertThrows(ConfigException.class,
        () -> KafkaRoutes.start(s, KafkaRoutes.eventLines(s), KafkaRoutes.FILES));
    assertTrue(refused.getMessage().contains(KafkaRoutes.ENABLED), refused.getMessage());
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private Settings settings(String name) {
    Map<String, String> o = new HashMap<>();
    o.put("valuetier.kafka.bootstrap-servers", broker.bootstrapServers());
    o.put("valuetier.kafka.partitions", String.valueOf(PARTITIONS));
    for (String t : List.of("transactions", "actions", "dead-letter", "control", "work")) {
      o.put("valuetier.kafka.topic." + t, name + "." + t);
    }
    o.put(KafkaRoutes.ENABLED, "true");
    o.put("valuetier.kafka.routes.group", name + "-files");
    o.put("valuetier.kafka.routes.events.from", "file:" + work.resolve("drop").toAbsolutePath()
        + "?antInclude=*.jsonl&move=.done&moveFailed=.failed&initialDelay=0&delay=100");
    o.put("valuetier.kafka.routes.actions.folder", work.resolve("actions").toAbsolutePath().toString());
    o.put("valuetier.kafka.routes.rejected.folder", work.resolve("rejected").toAbsolutePath().toString());
    o.put("valuetier.ingest.max-record-bytes", "4096");
    return RouteKit.settings(work, o);
  }

  private static RouteHost start(Settings s, EventLines lines, String... files) {
    return RouteKit.start(s, KafkaRoutes.beans(lines), Set.of(files), false, ctx -> {});
  }

  private static String event(String order, String customer) {
    return "{\"order_id\":\"" + order + "\",\"customer_id\":\"" + customer + "\","
        + "\"order_date\":\"2026-11-28 10:00:00\","
        + "\"product_id\":\"22423\",\"quantity\":2,\"unit_price\":12.75,\"currency\":\"GBP\",\"country\":\"France\"}";
  }

  private static void assertRejected(JsonNode r, int line, String reason, String textStart) {
    assertTrue(r.get("file").asText().endsWith("events.jsonl"), "names its file: " + r);
    assertEquals(line, r.get("line").asInt(), "names its line: " + r);
    assertEquals(reason, r.get("reason").asText(), r.toString());
    assertFalse(r.get("message").asText().isBlank(), r.toString());
    assertTrue(r.get("text").asText().startsWith(textStart), r.toString());
  }

  /** The partition Kafka's default partitioner gives a key on the test's topics. */
  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static void produceCommitted(String topic, int first, int n, Map<String, String> into) throws Exception {
    try (KafkaProducer<String, String> p = transactional("restart-test-" + first)) {
      p.initTransactions();
      p.beginTransaction();
      send(p, topic, first, n, "d-", into);
      p.commitTransaction();
    }
  }

  /** Actions PREFIX+first .. for customers c(i mod 7), as the worker writes them (the action files' JSON). */
  private static void send(KafkaProducer<String, String> p, String topic, int first, int n, String prefix,
      Map<String, String> into) {
    for (ActionRecord a : RouteKit.actions(first, n, false)) {
      String id = prefix + a.decisionId().substring(2);
      String customer = "c" + (Integer.parseInt(a.decisionId().substring(2)) % 7);
      String json = Json.write(new ActionRecord(id, customer, a.tier(), a.action(), a.channel(), a.offer(),
          a.priority(), a.predictedValue(), a.reasons(), a.ruleSetVersion(), a.modelVersion(), a.decidedAt(),
          a.controlGroup()));
      into.put(id, json);
      p.send(new ProducerRecord<>(topic, customer, json));
    }
  }

  private static KafkaProducer<String, String> transactional(String id) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static KafkaProducer<String, String> plain() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** The topic from its start, read committed, until {@code expected} records or 15 s, then 1 s more. */
  private static List<ConsumerRecord<String, String>> readCommitted(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(10))) {
        parts.add(new TopicPartition(topic, i.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      long more = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(end, more)) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
        if (out.size() >= expected && more == Long.MAX_VALUE) {
          more = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // nothing beyond them either
        }
      }
    }
    return out;
  }

  private static Map<String, String> distinctDecisions(Path file) throws IOException {
    Map<String, String> ids = new TreeMap<>();
    for (JsonNode n : jsonLines(file)) {
      ids.put(n.get("decision_id").asText(), n.toString());
    }
    return ids;
  }

  /** The decision ids of the file's whole lines, read without parsing (cheap enough to poll). */
  private static Set<String> decisionIds(Path file) throws IOException {
    Set<String> ids = new HashSet<>();
    if (!Files.exists(file)) {
      return ids;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String marker = "{\"decision_id\":\"";
    for (String l : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (l.startsWith(marker)) {
        ids.add(l.substring(marker.length(), l.indexOf('"', marker.length())));
      }
    }
    return ids;
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // a reader takes whole lines only: the route may be appending the last one while this reads
    for (String l : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (!l.isBlank()) {
        out.add(Json.MAPPER.readTree(l));
      }
    }
    return out;
  }

  /** The whole lines of the file (the last one may be being appended). */
  private static long lineCount(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    return Files.readString(file, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
