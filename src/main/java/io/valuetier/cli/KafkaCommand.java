package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.Store;
import io.valuetier.stream.ControlTopic;
import io.valuetier.stream.EventLines;
import io.valuetier.stream.KafkaBroker;
import io.valuetier.stream.KafkaRoutes;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.stream.KafkaTopics;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier kafka}: a local single-node KRaft broker with the topics, for trying the workers on one machine. */
@Command(
    name = "kafka", header = "Runs a local Kafka broker (KRaft, one node) with the workers' topics.",
    mixinStandardHelpOptions = true,
    subcommands = {KafkaCommand.Send.class, KafkaCommand.Routes.class, KafkaCommand.Announce.class,
      KafkaBenchCommand.class},
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
    try (KafkaBroker broker = KafkaBroker.start(kafka)) {
      List<String> created = KafkaTopics.ensure(kafka);
      System.out.println("Kafka broker on " + broker.bootstrapServers() + " (KRaft, pid " + broker.pid() + "), data and"
          + " broker.log in " + broker.dir());
      System.out.println("topics: " + kafka.transactionsTopic() + ", " + kafka.actionsTopic() + ", "
          + kafka.deadLetterTopic() + ", " + kafka.workTopic() + " (" + kafka.partitions() + " partitions each), "
          + kafka.controlTopic()
          + " (compacted)" + (created.isEmpty() ? "" : "; created " + created));
      System.out.println("next: `valuetier worker` in two other terminals; stop this broker with Ctrl-C");
      untilCtrlC();
    }
    return 0;
  }

  /** Waits until the process is asked to stop (Ctrl-C, SIGTERM); what the caller opened is then closed. */
  private static void untilCtrlC() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
    stop.await();
  }

  /**
   * {@code valuetier kafka send FILE}: puts transaction events (one JSON object per line) on the transactions topic,
   * through the route {@code kafka-events-in} (the route of a file drop, triggered here with the file's name).
   */
  @Command(
      name = "send", header = "Sends transaction events from a JSON-lines file to the workers' topic.",
      mixinStandardHelpOptions = true,
      description = {
        "Each line of FILE is one event with the fields of POST /api/v1/events/transactions; it goes to",
        "valuetier.kafka.topic.transactions as it is, keyed by its customer_id, through the route kafka-events-in",
        "(routes/kafka-events-in.camel.yaml, an idempotent producer). A line that is too long, not JSON or without a",
        "customer_id goes to events-rejected-DATE.jsonl in valuetier.kafka.routes.rejected.folder with its line and",
        "reason; the cleaning rules are the workers' (a refused event reaches the dead-letter topic). Blank lines",
        "are skipped. Exit 1 when an event could not be sent (it is kept in the dead-letter folder)."
      })
  public static final class Send implements Callable<Integer> {
    /** The route's trigger for this command, in place of the drop folder. */
    static final String ENDPOINT = "direct:kafka-send-events";

    @Mixin CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "The events, one JSON object per line.")
    Path file;

    @Option(names = "--json", description = "Print the counts as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings(Map.of(KafkaRoutes.ENABLED, "true", "valuetier.kafka.routes.events.from", ENDPOINT));
      KafkaSettings kafka = KafkaSettings.from(s);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + ": no such file (FILE is a file of JSON lines, one event each)");
      }
      EventLines lines = KafkaRoutes.eventLines(s);
      String rejectedFolder;
      try (RouteHost routes = KafkaRoutes.start(s, lines, Set.of("kafka-events-in"))) {
        rejectedFolder = routes.context().resolvePropertyPlaceholders("{{valuetier.kafka.routes.rejected.folder}}");
        routes.template().sendBodyAndHeader(ENDPOINT, null, EventLines.HEADER_FILE, file.toAbsolutePath().toString());
      }
      long failed = lines.readCount() - lines.sentCount() - lines.rejectedCount();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", lines.sentCount());
        m.put("rejected", lines.rejectedCount());
        m.put("failed", failed);
        m.put("topic", kafka.transactionsTopic());
        m.put("rejected_folder", rejectedFolder);
        System.out.println(Json.write(m));
      } else {
        System.out.println("sent " + lines.sentCount() + " events to " + kafka.transactionsTopic() + " on "
            + kafka.bootstrapServers() + (lines.rejectedCount() == 0 ? "" : "; rejected " + lines.rejectedCount()
            + " lines (file, line and reason in " + rejectedFolder + "/events-rejected-*.jsonl)"));
      }
      if (failed > 0) {
        System.err.println(failed + " events could not be sent (the broker did not take them after the retries):"
            + " they are kept in the dead-letter folder (valuetier.deadletter.uri); send them again");
        return 1;
      }
      return 0;
    }
  }

  /** {@code valuetier kafka routes}: runs the Kafka routes of {@code routes/} until stopped. */
  @Command(
      name = "routes", header = "Runs the Kafka routes: a folder of events in, actions and dead letters out to files.",
      mixinStandardHelpOptions = true,
      description = {
        "Runs routes/kafka-events-in.camel.yaml (files of JSON-lines events dropped in",
        "valuetier.kafka.routes.events.from onto valuetier.kafka.topic.transactions), kafka-actions-out.camel.yaml",
        "(the actions topic, read committed, into actions-DATE.jsonl in valuetier.kafka.routes.actions.folder) and",
        "kafka-dead-letters-out.camel.yaml",
        "(the dead-letter topic into valuetier.kafka.routes.rejected.folder), with camel-kafka. Needs",
        "valuetier.kafka.routes.enabled=true. Stop with Ctrl-C."
      })
  public static final class Routes implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
      Settings s = common.settings();
      KafkaSettings kafka = KafkaSettings.from(s);
      try (RouteHost routes = KafkaRoutes.start(s, KafkaRoutes.eventLines(s), KafkaRoutes.FILES)) {
        var ctx = routes.context();
        System.out.println("Kafka routes on " + kafka.bootstrapServers() + ":");
        String from = ctx.resolvePropertyPlaceholders("{{valuetier.kafka.routes.events.from}}");
        System.out.println("  events in:    " + from + " -> " + kafka.transactionsTopic());
        System.out.println("  actions out:  " + kafka.actionsTopic() + " -> "
            + ctx.resolvePropertyPlaceholders("{{valuetier.kafka.routes.actions.folder}}") + "/actions-DATE.jsonl");
        System.out.println("  dead letters: " + kafka.deadLetterTopic() + " -> "
            + ctx.resolvePropertyPlaceholders("{{valuetier.kafka.routes.rejected.folder}}")
            + "/dead-letters-DATE.jsonl");
        System.out.println("stop with Ctrl-C");
        untilCtrlC();
      }
      return 0;
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
