package io.valuetier.stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.valuetier.util.Excerpt;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * The steps of routes {@code kafka-actions-out} and {@code kafka-dead-letters-out}: each record read from a topic
 * becomes one JSON line of a file, and the consumed offsets are committed only once the line is written.
 *
 * <p>An action is written as the worker produced it (the JSON of the action files' {@code actions.jsonl}, one line);
 * a record that is not a JSON object with a {@code decision_id} and a {@code customer_id} is not an action, and goes
 * to the rejected file with its topic, partition, offset and reason instead of stopping the route on it forever. A
 * dead letter is any JSON object (reason, column, value, where it was read, the event's text).
 */
public final class TopicFiles {
  /** Header set on a record that goes to the rejected file: its reason code. */
  public static final String HEADER_REJECTED = "valuetierRejected";

  /**
   * Numbers as read (a float is not rounded through a double when a record must be written again), and one value per
   * record (a second object after the first would be a second line's worth on one line).
   */
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Files written by each route since its last commit. */
  private final Map<String, Set<Path>> unsynced = new ConcurrentHashMap<>();
  /** Files whose folder entry was synced once. */
  private final Set<Path> syncedEntries = ConcurrentHashMap.newKeySet();

  /** The record as a line of the actions file, or as a rejected record when it is not an action. */
  public void action(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    JsonNode node = object(text);
    if (node == null) {
      reject(exchange, "NOT_JSON", "the record is not a JSON object", text);
    } else if (!hasText(node, "decision_id") || !hasText(node, "customer_id")) {
      reject(exchange, "NOT_AN_ACTION", "the record has no decision_id or no customer_id", text);
    } else {
      exchange.getMessage().setBody(line(text, node));
    }
  }

  /** The record as a line of the dead-letters file, or as a rejected record when it is not a JSON object. */
  public void deadLetter(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    JsonNode node = object(text);
    if (node == null) {
      reject(exchange, "NOT_JSON", "the record is not a JSON object", text);
    } else {
      exchange.getMessage().setBody(line(text, node));
    }
  }

  /**
   * After the record's line is written: once the record is the last of its partition in the poll, syncs the files
   * the route wrote since its last commit to disk, then commits the consumed offsets of the partition up to this
   * record. Each record before it in the poll was written, in order, or the route would have stopped at the failed one
   * (camel-kafka's {@code breakOnFirstError}); a route stopped part-way commits what it wrote as it leaves the group
   * (camel-kafka's commit, without this sync).
   * The sync is here because camel-file 4.17 does not sync an appended file (its {@code forceWrites} option is not
   * used when writing): without it, a machine that loses power could lose lines whose offsets were committed.
   *
   * @throws IllegalStateException when the endpoint does not allow manual commits (its URI lost
   *     {@code allowManualCommit=true})
   */
  public void commit(Exchange exchange) throws IOException {
    String produced = exchange.getMessage().getHeader(Exchange.FILE_NAME_PRODUCED, String.class);
    Set<Path> pending = unsynced.computeIfAbsent(exchange.getFromRouteId(), r -> ConcurrentHashMap.newKeySet());
    if (produced != null) {
      pending.add(Path.of(produced));
    }
    Boolean last = exchange.getMessage().getHeader(KafkaConstants.LAST_RECORD_BEFORE_COMMIT, Boolean.class);
    if (!Boolean.TRUE.equals(last)) {
      return;
    }
    KafkaManualCommit manual =
        exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
    if (manual == null) {
      throw new IllegalStateException("route " + exchange.getFromRouteId() + ": no manual commit on the record;"
          + " its kafka endpoint needs autoCommitEnable=false&allowManualCommit=true (routes/"
          + exchange.getFromRouteId() + ".camel.yaml)");
    }
    for (Path f : List.copyOf(pending)) {
      sync(f);
      pending.remove(f);
    }
    manual.commit();
  }

  /** Forces the file's content to disk, and its folder's entry once (a new day's file). */
  private void sync(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && syncedEntries.add(file)) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException notOnThisSystem) {
        // a folder cannot be opened for syncing on every file system; the file's content is synced above
      }
    }
  }

  private static JsonNode object(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode node = READER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean hasText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank();
  }

  /** The record's own text when it is one line (what the worker wrote), else the object written again on one line. */
  private static String line(String text, JsonNode node) {
    String one = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text.strip() : Json.write(node);
    return one + "\n";
  }

  private static void reject(Exchange exchange, String reason, String message, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("topic", exchange.getMessage().getHeader(KafkaConstants.TOPIC));
    m.put("partition", exchange.getMessage().getHeader(KafkaConstants.PARTITION));
    m.put("offset", exchange.getMessage().getHeader(KafkaConstants.OFFSET));
    m.put("key", exchange.getMessage().getHeader(KafkaConstants.KEY));
    m.put("reason", reason);
    m.put("message", message);
    m.put("record", Excerpt.truncated(text, Excerpt.RECORD_CHARS));
    exchange.getMessage().setHeader(HEADER_REJECTED, reason);
    exchange.getMessage().setBody(Json.write(m) + "\n");
  }
}
