package io.valuetier.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the settings when they are missing (an existing topic is left as it is): transactions,
 * actions, dead-letter and the distributed batch's work topic with {@code valuetier.kafka.partitions} partitions,
 * and the control topic with one partition, compacted (only the latest announcement per key is kept).
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** Creates the missing topics and returns the names of those it created; waits 30 s at most for the brokers. */
  public static List<String> ensure(KafkaSettings s) {
    return ensure(s, Duration.ofSeconds(30));
  }

  /**
   * Creates the missing topics and returns the names of those it created, waiting up to {@code wait} for the brokers
   * to answer (a worker started with its broker waits for it).
   */
  public static List<String> ensure(KafkaSettings s, Duration wait) {
    int waitMs = (int) Math.min(Integer.MAX_VALUE, wait.toMillis());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, waitMs))) {
      Set<String> existing = admin.listTopics().names().get(waitMs, TimeUnit.MILLISECONDS);
      List<NewTopic> wanted = new ArrayList<>();
      for (String t : List.of(s.transactionsTopic(), s.actionsTopic(), s.deadLetterTopic(), s.workTopic())) {
        wanted.add(new NewTopic(t, s.partitions(), s.replicationFactor()));
      }
      wanted.add(new NewTopic(s.controlTopic(), 1, s.replicationFactor())
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      List<String> created = new ArrayList<>();
      for (NewTopic t : missing) {
        try {
          admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
          created.add(t.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) { // another worker created it meanwhile
            throw new IllegalStateException("cannot create the topic " + t.name() + " on " + s.bootstrapServers()
                + ": " + e.getCause().getMessage(), e.getCause());
          }
        }
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot reach the Kafka brokers " + s.bootstrapServers()
          + " (valuetier.kafka.bootstrap-servers): " + e.getMessage()
          + "; start one with `valuetier kafka`", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the topics", e);
    }
  }
}
