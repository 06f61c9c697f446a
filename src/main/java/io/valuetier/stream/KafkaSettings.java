package io.valuetier.stream;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The {@code valuetier.kafka.*} settings, read and checked once: brokers, topic names, partitions, the workers'
 * group and transactions, the local broker of {@code valuetier kafka}, and the work topic, buckets and deadline of the
 * distributed batch ({@code valuetier run --workers}).
 */
public record KafkaSettings(
    String bootstrapServers,
    String transactionsTopic,
    String actionsTopic,
    String deadLetterTopic,
    String controlTopic,
    int partitions,
    short replicationFactor,
    String group,
    String transactionalIdPrefix,
    int transactionTimeoutMs,
    int sessionTimeoutMs,
    int maxPollRecords,
    int workerThreads,
    String budgetId,
    Path brokerDir,
    int brokerPort,
    int controllerPort,
    Path brokerLibDir,
    String workTopic,
    int buckets,
    int batchDeadlineMinutes) {

  public static KafkaSettings from(Settings s) {
    return new KafkaSettings(
        text(s, "valuetier.kafka.bootstrap-servers"),
        topic(s, "valuetier.kafka.topic.transactions"),
        topic(s, "valuetier.kafka.topic.actions"),
        topic(s, "valuetier.kafka.topic.dead-letter"),
        topic(s, "valuetier.kafka.topic.control"),
        s.intValue("valuetier.kafka.partitions", 1, 10_000),
        (short) s.intValue("valuetier.kafka.replication-factor", 1, 16),
        text(s, "valuetier.kafka.group"),
        text(s, "valuetier.kafka.transactional-id-prefix"),
        s.intValue("valuetier.kafka.transaction-timeout-ms", 1000, 900_000),
        s.intValue("valuetier.kafka.session-timeout-ms", 6000, 300_000),
        s.intValue("valuetier.kafka.max-poll-records", 1, 100_000),
        s.intValue("valuetier.kafka.worker-threads", 1, 64),
        budgetId(s),
        s.path("valuetier.kafka.broker.dir"),
        s.intValue("valuetier.kafka.broker.port", 1, 65535),
        s.intValue("valuetier.kafka.broker.controller-port", 1, 65535),
        s.path("valuetier.kafka.broker.lib-dir"),
        topic(s, "valuetier.kafka.topic.work"),
        s.intValue("valuetier.kafka.buckets", 1, 128),
        s.intValue("valuetier.kafka.batch-deadline-minutes", 1, 10_080));
  }

  /** The consumer group of the workers on the work topic of the distributed batch: the group's name + "-batch". */
  public String batchGroup() {
    return group + "-batch";
  }

  /**
   * The settings every consumer of the workers shares: read committed from the earliest offset, offsets committed by
   * the worker (never automatically), and this group's session timeout with a heartbeat a third of it.
   */
  public Properties consumerProperties(String groupId, String clientId, int maxPollRecords) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, sessionTimeoutMs / 3));
    return p;
  }

  /** The shared offer budget's row: 1 to 100 of letters, digits, '.', '_', '-' (it names a period, e.g. stream-2026-12). */
  private static String budgetId(Settings s) {
    String v = text(s, "valuetier.kafka.budget-id");
    if (!v.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new ConfigException("valuetier.kafka.budget-id=" + v + " is not a budget name (1 to 100 letters, digits,"
          + " '.', '_', '-')");
    }
    return v;
  }

  private static String text(Settings s, String key) {
    String v = s.require(key).strip();
    if (v.isEmpty()) {
      throw new ConfigException(key + " is empty; see config/application.properties");
    }
    return v;
  }

  /** A topic name as Kafka allows it: 1 to 249 of letters, digits, '.', '_' and '-'. */
  private static String topic(Settings s, String key) {
    String v = text(s, key);
    if (!v.matches("[A-Za-z0-9._-]{1,249}") || v.equals(".") || v.equals("..")) {
      throw new ConfigException(key + "=" + v + " is not a Kafka topic name (letters, digits, '.', '_', '-'; at most"
          + " 249)");
    }
    return v;
  }
}
