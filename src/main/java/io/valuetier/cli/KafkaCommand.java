package io.valuetier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.stream.ControlTopic;
import io.valuetier.stream.KafkaBroker;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.stream.KafkaTopics;
import io.valuetier.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier kafka}: a local single-node KRaft broker with the topics, for trying the workers on one machine. */
@Command(
    name = "kafka", header = "Runs a local Kafka broker (KRaft, one node) with the workers' topics.",
    mixinStandardHelpOptions = true,
    subcommands = {KafkaCommand.Send.class, KafkaCommand.Announce.class, KafkaBenchCommand.class},
    description = {
      "Starts Apache Kafka's own broker (kafka_2.13 4.1.1, KRaft: broker and controller in one process) in its",
      "own JVM from the jars the build copied to valuetier.kafka.broker.lib-dir, with its data in",
      "valuetier.kafka.broker.dir, on 127.0.0.1:valuetier.kafka.broker.port, and creates the topics when missing.",
      "Nothing is downloaded. For trying it on one machine; production runs its own brokers. Stop with Ctrl-C."
    })
public final class KafkaCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() throws InterruptedException {
    Settings s = common.settings();
    KafkaSettings kafka = KafkaSettings.from(s);
    CountDownLatch stop = new CountDownLatch(1);
    try (KafkaBroker broker = KafkaBroker.start(kafka)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
      List<String> created = KafkaTopics.ensure(kafka);
      System.out.println("Kafka broker on " + broker.bootstrapServers() + " (KRaft, pid " + broker.pid() + "), data and"
          + " broker.log in " + broker.dir());
      System.out.println("topics: " + kafka.transactionsTopic() + ", " + kafka.actionsTopic() + ", "
          + kafka.deadLetterTopic() + ", " + kafka.workTopic() + " (" + kafka.partitions() + " partitions each), "
          + kafka.controlTopic()
          + " (compacted)" + (created.isEmpty() ? "" : "; created " + created));
      System.out.println("next: `valuetier worker` in two other terminals; stop this broker with Ctrl-C");
      stop.await();
    }
    return 0;
  }

  /** {@code valuetier kafka send FILE}: puts transaction events (one JSON object per line) on the transactions topic. */
  @Command(
      name = "send", header = "Sends transaction events from a JSON-lines file to the workers' topic.",
      mixinStandardHelpOptions = true,
      description = {
        "Each line of FILE is one event with the fields of POST /api/v1/events/transactions; it goes to",
        "valuetier.kafka.topic.transactions keyed by its customer_id, as it is (a bad line reaches the dead-letter",
        "topic through a worker, with its reason). Empty lines are skipped."
      })
  public static final class Send implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "The events, one JSON object per line.")
    Path file;

    @Option(names = "--json", description = "Print the count sent as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Settings s = common.settings();
      KafkaSettings kafka = KafkaSettings.from(s);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + ": no such file (FILE is a file of JSON lines, one event each)");
      }
      KafkaTopics.ensure(kafka);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      long sent = 0;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          KafkaProducer<String, String> producer =
              new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          producer.send(new ProducerRecord<>(kafka.transactionsTopic(), customerOf(line), line));
          sent++;
        }
        producer.flush();
      }
      if (json) {
        System.out.println(Json.write(Map.of("sent", sent, "topic", kafka.transactionsTopic())));
      } else {
        System.out.println("sent " + sent + " events to " + kafka.transactionsTopic() + " on "
            + kafka.bootstrapServers());
      }
      return 0;
    }

    /** The record key: the event's customer_id, or none when the line is not a JSON object with one. */
    private static String customerOf(String line) {
      try {
        JsonNode id = Json.MAPPER.readTree(line).get("customer_id");
        return id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
      } catch (IOException | RuntimeException notJson) {
        return null; // a worker sends it to the dead-letter topic with the reason
      }
    }
  }

  /** {@code valuetier kafka announce}: tells every worker the active rule set and the champion of the store. */
  @Command(
      name = "announce", header = "Announces the active rule set and the champion model to every worker.",
      mixinStandardHelpOptions = true,
      description = {
        "Puts the store's active rule-set version (after `valuetier rules reload` or `rules rollback`) and the",
        "champion model's id on valuetier.kafka.topic.control; every worker follows within a second or two."
      })
  public static final class Announce implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "Print what was announced as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      KafkaSettings kafka = KafkaSettings.from(s);
      Map<String, String> announced = new LinkedHashMap<>();
      try (Store store = common.openStore(s)) {
        KafkaTopics.ensure(kafka);
        new RuleSetHistory(store).active().ifPresent(a -> announced.put(ControlTopic.RULE_SET, a.version()));
        ModelRegistry models = TrainingService.registry(s, store);
        models.champion().ifPresent(c -> announced.put(ControlTopic.CHAMPION, c.modelId()));
      }
      if (announced.isEmpty()) {
        throw new IllegalStateException("nothing to announce: the store has no active rule set and no champion model"
            + " (run `valuetier run` first)");
      }
      announced.forEach((k, v) -> ControlTopic.announce(kafka, k, v));
      if (json) {
        System.out.println(Json.write(announced));
      } else {
        announced.forEach((k, v) -> System.out.println("announced " + k + " " + v + " on " + kafka.controlTopic()));
      }
      return 0;
    }
  }
}
