package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.stream.BatchWorker;
import io.valuetier.stream.StreamWorker;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier worker}: a member of the Kafka consumer group that decides each transaction event exactly once. */
@Command(
    name = "worker", header = "Decides transaction events from Kafka, exactly once, as one of a group of workers.",
    mixinStandardHelpOptions = true,
    description = {
      "Joins the consumer group valuetier.kafka.group and, for the partitions it owns, cleans each event of",
      "valuetier.kafka.topic.transactions, stores it, scores the customer with the champion, decides with the active",
      "rule set and guardrails, records the decision and produces the action (valuetier.kafka.topic.actions) or the",
      "rejection (valuetier.kafka.topic.dead-letter), in Kafka transactions. Follows valuetier.kafka.topic.control.",
      "It also scores and decides buckets of distributed batch runs (valuetier run --workers), on a thread of its own.",
      "Start as many as there are partitions; stop with Ctrl-C. See docs/scale-out.md."
    })
public final class WorkerCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(paramLabel = "NAME", names = "--name",
      description = "This worker's name, unique in the group; its transactional id ends with it (default: HOST-PID).")
  String name;

  @Option(names = "--batch-only",
      description = "Take only buckets of distributed batch runs (valuetier run --workers), no events: for a worker"
          + " started before the store has a champion model, or a machine kept for the batch.")
  boolean batchOnly;

  @Override
  public Integer call() throws InterruptedException {
    Settings s = common.settings();
    KafkaSettings kafka = KafkaSettings.from(s);
    String me = name != null ? name : defaultName();
    if (!me.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException("--name: '" + me + "' must be 1 to 100 letters, digits, '.', '_' or '-'");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // like the broker, the database may start after the worker (a machine's services starting together)
    try (Store store = Stores.openForServing(s, Duration.ofMinutes(2), WorkerCommand::say);
        BatchWorker batch = new BatchWorker(s, store, me, WorkerCommand::say)) {
      if (batchOnly) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          batch.stop();
          await(stopped);
        }, "shutdown"));
        say("worker " + me + " (batch only) of group " + kafka.batchGroup() + " on " + kafka.bootstrapServers()
            + ": store " + store.describe() + "; buckets from " + kafka.workTopic());
        try {
          batch.run();
        } finally {
          stopped.countDown();
        }
        return 0;
      }
      Thread batchThread = Thread.ofPlatform().name("batch-" + me).start(() -> {
        try {
          batch.run();
        } catch (RuntimeException e) {
          say("worker " + me + ": ERROR the batch worker stopped (no more buckets from this worker): " + e);
        }
      });
      try {
        decideEvents(s, store, me, kafka, batch, stopped);
      } finally {
        batch.stop();
        batchThread.join(Duration.ofSeconds(20));
      }
    }
    return 0;
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void await(CountDownLatch stopped) {
    try {
      stopped.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The event worker of the group, until stopped; the batch worker runs beside it. */
  private static void decideEvents(Settings s, Store store, String me, KafkaSettings kafka, BatchWorker batch,
      CountDownLatch stopped) {
    try (StreamWorker worker = new StreamWorker(s, store, me)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        worker.stop();
        try {
          stopped.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "shutdown"));
      System.out.println("worker " + me + " of group " + kafka.group() + " on " + kafka.bootstrapServers()
          + ": rule set " + worker.activeRuleSet() + ", store " + store.describe() + "; events from "
          + kafka.transactionsTopic() + ", actions to " + kafka.actionsTopic());
      ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-progress");
        t.setDaemon(true);
        return t;
      });
      progress.scheduleAtFixedRate(() -> {
        StreamWorker.Counts c = worker.counts();
        System.out.println("worker " + me + ": " + c.events + " events, " + c.decided + " decided, " + c.replayed
            + " replayed, " + c.rejected + " rejected, " + c.transactions + " transactions (" + c.aborted
            + " redone); partitions " + worker.owned().size() + ", rule set " + worker.activeRuleSet()
            + "; batch: " + batch.scored() + " buckets scored, " + batch.buckets() + " decided (" + batch.customers()
            + " customers)");
      }, 10, 10, TimeUnit.SECONDS);
      try {
        worker.run();
      } finally {
        progress.shutdownNow();
        stopped.countDown();
      }
    }
  }

  private static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
    } catch (UnknownHostException e) {
      host = "worker";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
