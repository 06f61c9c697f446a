package io.valuetier.stream;

import io.valuetier.records.Rejection;
import io.valuetier.store.IngestStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Stores the events a worker rejects in {@code rejected_records}, beside the dead-letter topic, so that the operator
 * finds them where the rejected lines of files and of the REST API are. Each partition of the topic is a source of
 * its own ({@code kafka:TOPIC/PARTITION}) and an event's line is its offset, so the row's key ({@code origin}: source
 * and line) names exactly one event: a redelivered event (its Kafka transaction aborted after the store write) finds
 * its row and adds nothing (INSERT IGNORE), and two events of the same text are two rows.
 */
final class RejectedEvents {
  private final IngestStore store;
  private final Map<String, Integer> sources = new ConcurrentHashMap<>();

  RejectedEvents(IngestStore store) {
    this.store = store;
  }

  /** Stores {@code x}, the rejection of {@code r}, under its partition's source with its offset as line. */
  void store(ConsumerRecord<String, String> r, Rejection x) {
    String source = "kafka:" + r.topic() + "/" + r.partition();
    int id = sources.computeIfAbsent(source, s -> store.runs().sourceId(fingerprint(s), "events", s));
    store.rejections().writeRejections(
        List.of(new Rejection(r.offset(), x.reason(), x.column(), x.value(), x.message(), x.originalText())), id);
  }

  /** The source's name when it fits the 64 characters of a fingerprint, else a digest of it. */
  static String fingerprint(String source) {
    if (source.length() <= 64) {
      return source;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return "kafka:" + HexFormat.of().formatHex(d).substring(0, 58);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
