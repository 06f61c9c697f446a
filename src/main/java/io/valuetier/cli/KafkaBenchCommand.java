package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.stream.KafkaBench;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.stream.KafkaTopics;
import io.valuetier.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code valuetier kafka bench}: events per second and latency from event to action through the running workers
 * ({@link KafkaBench}); bench/kafka-load.sh starts a broker and one, then two workers around it.
 */
@Command(
    name = "bench", header = "Measures events per second and latency from event to action through running workers.",
    mixinStandardHelpOptions = true,
    description = {
      "Sends N transaction events of the store's customers to valuetier.kafka.topic.transactions (as fast as",
      "possible, or --rate per second), reads valuetier.kafka.topic.actions read committed until each event has its",
      "action (matched by the valuetier-event header) and prints events per second end to end and the latency",
      "percentiles from each event to its action record's timestamp and to the action being visible. The workers",
      "must be running (see bench/kafka-load.sh); the events are stored and decided for real."
    })
public final class KafkaBenchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--events", paramLabel = "N", defaultValue = "100000",
      description = "Events to send (default ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
      description = "Events per second to send at; 0 (default) sends them all at once, a backlog the workers drain.")
  int rate;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the events (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (events < 1 || events > 100_000_000 || rate < 0) {
      throw new IllegalArgumentException("--events must be 1 to 100,000,000 and --rate 0 or more");
    }
    Settings s = common.settings();
    KafkaSettings kafka = KafkaSettings.from(s);
    List<String> customers = new ArrayList<>();
    try (Store store = common.openStore(s)) {
      store.forEachRow("customers", "SELECT customer_id FROM customers ORDER BY customer_id",
          rs -> customers.add(rs.getString(1)));
    }
    KafkaTopics.ensure(kafka);
    KafkaBench.Result r = KafkaBench.run(kafka, customers, events, rate, seed, Duration.ofSeconds(60));
    if (json) {
      System.out.println(Json.write(r));
    } else {
      System.out.printf(Locale.ROOT, "%,d events (%s), %,d answered, %d answered twice: %.1f s, %.0f events/s end to"
              + " end (sent in %.1f s)%n", r.events(), rate > 0 ? rate + "/s" : "all at once", r.answered(),
          r.duplicates(), r.seconds(), r.eventsPerSecond(), r.sendSeconds());
      System.out.println("latency to the action record (ms): " + r.toRecordMs());
      System.out.println("latency to the action visible, read committed (ms): " + r.toVisibleMs());
    }
    return r.answered() == r.events() && r.duplicates() == 0 ? 0 : 1;
  }
}
