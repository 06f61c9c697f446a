package io.valuetier.act;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.Redaction;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;

/**
 * The steps of the {@code publish-actions} route around the configured destination: {@link #pending} drops the
 * actions already delivered there (delivery is idempotent by decision id), {@link #toBody} gives a batch in the form
 * its destination takes (a JSON array, or the records for the project's own writers), {@link #delivered} records the
 * batch as delivered once the destination took it, and with it counts the batch's contacts for contact fatigue (in the
 * same transaction).
 *
 * <p>The destination is known by its URI without credentials ({@link Redaction}): that is what the delivery log keeps
 * and what travels in the message headers, so a {@code ?token=} of a webhook URI is neither stored nor forwarded.
 */
public final class ActionPublisher {
  /** Header: the destination URI (secrets removed), the key of idempotent delivery. */
  public static final String HEADER_DESTINATION = "valuetierDestination";

  /** Header: the decision run whose actions are published (names the output folder for files). */
  public static final String HEADER_RUN = "valuetierDecisionRun";

  /** Exchange property: an {@code AtomicLong} counting actions skipped as already delivered. */
  public static final String SKIPPED = "valuetierSkipped";

  /** Exchange property with the batch being delivered. */
  public static final String BATCH = "valuetierBatch";

  private static final MultiRowInsert DELIVERIES = new MultiRowInsert(
      "INSERT IGNORE", "action_deliveries", "destination,decision_id,run_id,delivered_at", 200);

  private final Store store;

  public ActionPublisher(Store store) {
    this.store = store;
  }

  /** The actions of the batch not yet delivered to this destination; the batch is kept for {@link #delivered}. */
  public List<ActionRecord> pending(List<ActionRecord> batch, Exchange exchange) {
    String destination = destination(exchange);
    Set<String> done = delivered(destination, batch);
    List<ActionRecord> todo = new ArrayList<>(batch.size());
    for (ActionRecord a : batch) {
      if (!done.contains(a.decisionId())) {
        todo.add(a);
      }
    }
    exchange.setProperty(BATCH, todo);
    AtomicLong skipped =
        exchange.getProperty(SKIPPED, AtomicLong.class);
    if (skipped != null) {
      skipped.addAndGet(batch.size() - todo.size());
    }
    return todo;
  }

  /** The destination of the exchange without credentials; the header is replaced by that form. */
  static String destination(Exchange exchange) {
    String raw = exchange.getMessage().getHeader(HEADER_DESTINATION, String.class);
    String clean = Redaction.uri(raw);
    if (raw != null && !raw.equals(clean)) {
      exchange.getMessage().setHeader(HEADER_DESTINATION, clean);
    }
    return clean;
  }

  /** The most decision ids asked of the delivery log per statement (fewer on H2: {@link Store#inList()}). */
  static final int CHECK_GROUP = 500;

  /**
   * The delivery check of {@code n} decision ids at one destination (parameters: the ids, then the destination). It
   * is answered through the primary key, keyed by decision id first (an index takes an IN list only on its first
   * column, V137), so it examines about {@code n} rows however many deliveries the table holds.
   */
  static String deliveredSql(int n) {
    return "SELECT decision_id FROM action_deliveries WHERE decision_id IN (" + "?,".repeat(n - 1)
        + "?) AND destination = ?";
  }

  private Set<String> delivered(String destination, List<ActionRecord> batch) {
    Set<String> done = new HashSet<>();
    int group = Math.min(CHECK_GROUP, store.inList());
    try (Connection c = store.connection()) {
      for (int from = 0; from < batch.size(); from += group) {
        int to = Math.min(batch.size(), from + group);
        try (PreparedStatement ps = c.prepareStatement(deliveredSql(to - from))) {
          for (int i = from; i < to; i++) {
            ps.setString(i - from + 1, batch.get(i).decisionId());
          }
          ps.setString(to - from + 1, destination);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              done.add(rs.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the delivery log: " + e.getMessage(), e);
    }
    return done;
  }

  /** Header: the key of a batch, the same when the batch is sent again. */
  public static final String HEADER_IDEMPOTENCY_KEY = "Idempotency-Key";

  /** {@code RUN:FIRST-LAST:COUNT} of the batch's decision ids. */
  static String idempotencyKey(List<ActionRecord> batch, Exchange exchange) {
    String run = exchange.getMessage().getHeader(HEADER_RUN, String.class);
    return run + ":" + batch.getFirst().decisionId() + "-" + batch.getLast().decisionId() + ":" + batch.size();
  }

  /**
   * The batch as the body its destination takes: the records themselves for the project's own writers in this
   * process ({@code direct:write-action-files}, {@code direct:write-action-table}), which would otherwise parse back
   * the JSON made for them (at 1M actions the publish stage went from 22.0 s to 17.6 s without it, see BENCHMARKS.md);
   * a JSON array ({@link #toJson}) for any other destination (webhooks, brokers).
   */
  public Object toBody(List<ActionRecord> batch, Exchange exchange) {
    String destination = exchange.getMessage().getHeader(HEADER_DESTINATION, String.class);
    if (destination != null && destination.startsWith(IN_PROCESS_WRITERS)) {
      exchange.getMessage().setHeader("valuetierActions", batch.size());
      return batch;
    }
    return toJson(batch, exchange);
  }

  /** The destinations that take the records as they are: the project's own writers, routes of this process. */
  static final String IN_PROCESS_WRITERS = "direct:write-action-";

  /**
   * The actions of a batch from the body a writer received: the records themselves (from {@link #toBody}), or their
   * JSON array (a message sent to the writer's route from elsewhere, e.g. a test).
   */
  @SuppressWarnings("unchecked")
  public static List<ActionRecord> records(Object body) throws JsonProcessingException {
    if (body instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof ActionRecord)) {
          throw new IllegalArgumentException("a batch of actions holds a " + o.getClass().getName());
        }
      }
      return (List<ActionRecord>) list;
    }
    if (body instanceof String json) {
      return Json.MAPPER.readValue(json, new TypeReference<List<ActionRecord>>() {});
    }
    throw new IllegalArgumentException("a batch of actions is a list of records or a JSON array, not "
        + (body == null ? "nothing" : "a " + body.getClass().getName()));
  }

  /** The batch as a JSON array, the body sent to webhooks and brokers. */
  public String toJson(List<ActionRecord> batch, Exchange exchange) {
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    // Camel's HTTP producer sends a GET (and drops the body) when the URI has a query, e.g. a webhook ?token=
    exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
    exchange.getMessage().setHeader("valuetierActions", batch.size());
    // The same batch sent again (its delivery could not be recorded, e.g. the database went away at that moment)
    // carries the same key, so that a receiver can drop the repeat (HTTP header Idempotency-Key, NATS header).
    exchange.getMessage().setHeader(HEADER_IDEMPOTENCY_KEY, idempotencyKey(batch, exchange));
    return Json.write(batch);
  }

  /** Records the batch of the exchange as delivered to its destination, and its contacts as made. */
  public void delivered(Exchange exchange) {
    @SuppressWarnings("unchecked")
    List<ActionRecord> batch = exchange.getProperty(BATCH, List.class);
    String destination = destination(exchange);
    String run = exchange.getMessage().getHeader(HEADER_RUN, String.class);
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        // multi-row statements: a JDBC batch of one-row inserts ran one statement per action on H2
        DELIVERIES.insert(c, batch, (ps, i, a) -> {
          ps.setString(i, destination);
          ps.setString(i + 1, a.decisionId());
          ps.setString(i + 2, run == null ? "-" : run);
          ps.setTimestamp(i + 3, now);
        });
        List<String> contacts = new ArrayList<>(batch.size());
        for (ActionRecord a : batch) {
          if (!a.controlGroup()) {
            contacts.add(a.decisionId());
          }
        }
        return DecisionLog.markDelivered(c, contacts, now);
      });
    } catch (SQLException e) {
      throw new StoreException("cannot record " + batch.size() + " deliveries in action_deliveries: " + e.getMessage(), e);
    }
  }
}
