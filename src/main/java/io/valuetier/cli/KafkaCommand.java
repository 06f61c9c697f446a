package io.valuetier.cli;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier kafka}: a local single-node KRaft broker with the topics, for trying the workers on one machine. */
@Command(
    name = "kafka", header = "Runs a local Kafka broker (KRaft, one node) with the workers' topics.",
    mixinStandardHelpOptions = true,
    subcommands = KafkaCommand.Announce.class,
    description = {
      "Starts Apache Kafka's own broker (kafka_2.13 " + "4.1.1, KRaft: broker and controller in one process) in its",
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
          + kafka.deadLetterTopic() + " (" + kafka.partitions() + " partitions each), " + kafka.controlTopic()
          + " (compacted)" + (created.isEmpty() ? "" : "; created " + created));
      System.out.println("next: `valuetier worker` in two other terminals; stop this broker with Ctrl-C");
      stop.await();
    }
    return 0;
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
