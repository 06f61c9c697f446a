package io.valuetier.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted control topic: what every worker must decide with. Key {@value #RULE_SET}: the active rule-set version
 * (a version of the store's rule-set history); key {@value #CHAMPION}: the champion model's id. An instance that
 * reloads, rolls back or promotes announces it ({@link #announce}); each worker reads the topic from its start and
 * then follows it ({@link Follower}). Being compacted, the topic keeps the latest announcement of each key for a
 * worker that starts later.
 */
public final class ControlTopic {
  public static final String RULE_SET = "rule-set";
  public static final String CHAMPION = "champion";

  private ControlTopic() {}

  /** Announces {@code value} under {@code key} and waits until the broker has it. */
  public static void announce(KafkaSettings s, String key, String value) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(s.controlTopic(), key, value)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot announce " + key + "=" + value + " on " + s.controlTopic() + " at "
          + s.bootstrapServers() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while announcing " + key, e);
    }
  }

  /** Reads the control topic from its start and hands over each key's latest value as it changes. */
  public static final class Follower implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition;
    private final Map<String, String> latest = new HashMap<>();

    public Follower(KafkaSettings s) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
      this.partition = new TopicPartition(s.controlTopic(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
    }

    /** Reads what is there up to now (at start: everything announced so far); returns the keys whose value changed. */
    public Map<String, String> poll(Duration wait) {
      Map<String, String> changed = new HashMap<>();
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (true) {
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
          if (r.key() != null && r.value() != null && !r.value().equals(latest.put(r.key(), r.value()))) {
            changed.put(r.key(), r.value());
          }
        }
        if (consumer.position(partition) >= end) {
          return changed;
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
