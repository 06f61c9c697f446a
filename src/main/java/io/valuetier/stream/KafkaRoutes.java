package io.valuetier.stream;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.ingest.IngestSettings;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.RouteHost;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka routes of {@code routes/} that integration teams wire around the topics, with camel-kafka: events in from
 * a file drop ({@code kafka-events-in}), the actions out into files for marketing ({@code kafka-actions-out}) and the
 * dead letters into a rejected file ({@code kafka-dead-letters-out}). Off unless {@code valuetier.kafka.routes.enabled}
 * is true (each route's {@code autoStartup} is that setting, so a host that loads every file of {@code routes/} leaves
 * them stopped as well). The worker itself stays on the Kafka client: its offsets are committed inside its producer's
 * transaction, which camel-kafka does not do (docs/scale-out.md).
 */
public final class KafkaRoutes {
  /** The route files, by name without {@code .camel.yaml}. */
  public static final Set<String> FILES = Set.of("kafka-events-in", "kafka-actions-out", "kafka-dead-letters-out");
  /** The setting that switches the routes on. */
  public static final String ENABLED = "valuetier.kafka.routes.enabled";

  private KafkaRoutes() {}

  /** The beans the route files call: {@code eventLines}, {@code topicFiles} and the shared {@code deadLetters}. */
  public static Map<String, Object> beans(EventLines lines) {
    return Map.of("eventLines", lines, "topicFiles", new TopicFiles(), "deadLetters", new DeadLetters());
  }

  /** The bean of the events route, with the longest line of {@code valuetier.ingest.max-record-bytes}. */
  public static EventLines eventLines(Settings s) {
    return new EventLines(IngestSettings.from(s).maxRecordBytes());
  }

  /**
   * Creates the missing topics, then starts the route files {@code files} (a subset of {@link #FILES}).
   *
   * @throws ConfigException when {@value #ENABLED} is not true
   */
  public static RouteHost start(Settings s, EventLines lines, Set<String> files) {
    if (!s.bool(ENABLED)) {
      throw new ConfigException(ENABLED + " is false: the Kafka routes are off; set it to true (or "
          + Settings.envName(ENABLED) + "=true) with the topics and folders of valuetier.kafka.routes.*");
    }
    KafkaTopics.ensure(KafkaSettings.from(s));
    return RouteHost.start(s, beans(lines), files);
  }
}
