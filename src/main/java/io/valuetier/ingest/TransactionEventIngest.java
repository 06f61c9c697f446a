package io.valuetier.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.records.Transaction;
import io.valuetier.records.TransactionDraft;
import io.valuetier.store.CustomerStore.SeenCustomer;
import io.valuetier.store.ErasedCustomers;
import io.valuetier.store.IngestStore;
import io.valuetier.util.Excerpt;
import io.valuetier.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * Single transaction events over HTTP (route {@code ingest-transaction-events}): a JSON object with the canonical
 * fields ({@code order_id, customer_id, order_date, product_id, description, quantity, unit_price, currency,
 * country}; the mapping is {@link TransactionJson}'s) is cleaned by the same rules as files and stored at once.
 * Posting the same event again stores nothing new. A bad event gets 422 (or 400 when it is not JSON) with the reason
 * and field, and is kept in {@code rejected_records} like a bad file line, its text cut as every stored rejection is
 * ({@link Rejection}: 4 KB with a note of the cut). The event is read by a bounded parser (nesting, number and string
 * lengths, {@value #MAX_FIELDS} fields); a quantity or price out of any sensible range is refused before cleaning,
 * quoting at most 64 characters of it.
 * Before reading anything, the {@code admit} check of the server (API key, role, rate limit, content type) runs.
 */
public final class TransactionEventIngest {
  /** The source under which events and their rejections are stored. */
  public static final String SOURCE = "http:transaction-events";
  /** The source of the events the Kafka workers store ({@code valuetier worker}). */
  public static final String KAFKA_SOURCE = "kafka:transaction-events";

  static final int MAX_FIELDS = 64;

  private static final ObjectMapper EVENTS =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(16)
                      .maxNumberLength(64)
                      .maxStringLength(64 * 1024)
                      .maxNameLength(128)
                      .build())
              .build());

  private final IngestStore store;
  private final Supplier<CleaningRules> rules;
  private final Predicate<Exchange> admit;
  private final String source;
  private volatile int sourceId;

  /**
   * @param admit runs first on every request; false when it has already answered (refused) the request
   */
  public TransactionEventIngest(IngestStore store, Supplier<CleaningRules> rules, Predicate<Exchange> admit) {
    this(store, rules, admit, SOURCE);
  }

  /**
   * An ingest that stores under another source (the Kafka worker's {@value #KAFKA_SOURCE}) and whose events are
   * admitted by whoever hands them over.
   */
  public TransactionEventIngest(IngestStore store, Supplier<CleaningRules> rules, String source) {
    this(store, rules, exchange -> true, source);
  }

  private TransactionEventIngest(
      IngestStore store, Supplier<CleaningRules> rules, Predicate<Exchange> admit, String source) {
    this.store = store;
    this.rules = rules;
    this.admit = admit;
    this.source = source;
  }

  private int sourceId() {
    int id = sourceId;
    if (id == 0) {
      id = store.runs().sourceId(source, "events", source);
      sourceId = id;
    }
    return id;
  }

  /**
   * What one event's text turned into: the cleaned transaction, or the rejection with its reason and the HTTP status
   * it is answered with (400 not JSON, 422 broke a cleaning rule or names an erased customer).
   */
  public record Event(Transaction accepted, Rejection rejected, int status) {
    static Event rejected(Rejection r, int status) {
      return new Event(null, r, status);
    }
  }

  /** Handles one POSTed event; sets the HTTP status and a JSON reply as the body. */
  public void accept(Exchange exchange) {
    if (!admit.test(exchange)) {
      return;
    }
    String body = exchange.getMessage().getBody(String.class);
    Event e = read(body, rules.get(), store.store().erasedCustomers());
    Map<String, Object> reply = new LinkedHashMap<>();
    if (e.rejected() != null) {
      store.rejections().writeRejections(List.of(e.rejected()), sourceId());
      reply(exchange, e.status(), rejected(reply, e.rejected()));
      return;
    }
    Transaction t = e.accepted();
    store(t);
    reply.put("status", "accepted");
    reply.put("customer_id", t.customerId());
    reply.put("return", t.isReturn());
    reply.put("outlier", t.isOutlier());
    reply(exchange, 202, reply);
  }

  /**
   * Stores one accepted event's transaction under this ingest's source, and its customer as seen; storing the same
   * event again stores nothing new (the row key comes from the line's content).
   */
  public void store(Transaction t) {
    store.transactions().writeTransactions(List.of(t), sourceId());
    store.customers().addSeenCustomers(Map.of(t.customerId(), new SeenCustomer(t.country(), t.timestamp())));
  }

  /**
   * Reads one event as the HTTP endpoint and the Kafka worker both do: a bounded JSON object with the fields of
   * {@link TransactionJson}, quantity and price within range, cleaned by {@code rules} as a single record, and not of
   * an erased customer. Stores nothing.
   */
  public static Event read(String body, CleaningRules rules, ErasedCustomers erased) {
    body = body == null ? "" : body;
    long line = contentLine(body);
    JsonNode node;
    try {
      node = EVENTS.readTree(body);
    } catch (Exception e) {
      node = null;
    }
    if (node == null || !node.isObject() || node.size() > MAX_FIELDS) {
      return Event.rejected(
          new Rejection(line, RejectReason.BAD_JSON, null, null,
              node != null && node.size() > MAX_FIELDS
                  ? "the event has " + node.size() + " fields; at most " + MAX_FIELDS + " are read"
                  : "the body is not a JSON object within the limits (nesting 16, numbers of 64 characters; expected"
                      + " fields " + TransactionJson.FIELDS + ")",
              body),
          400);
    }
    TransactionDraft d = TransactionJson.draft(node, null, TransactionJson::anyText);
    String original = body;
    Rejection unbounded = unbounded(line, "quantity", d.quantity, RejectReason.ABSURD_QUANTITY, original);
    if (unbounded == null) {
      unbounded = unbounded(line, "unit_price", d.unitPrice, RejectReason.ABSURD_PRICE, original);
    }
    if (unbounded != null) {
      return Event.rejected(unbounded, 422);
    }
    TransactionCleaner.Result res = TransactionCleaner.forSingleRecords(rules).clean(line, d, () -> original);
    if (res.rejected() != null) {
      return Event.rejected(res.rejected(), 422);
    }
    Transaction t = res.accepted();
    if (erased.isErased(t.customerId())) {
      return Event.rejected(RecordIngest.erasedRejection(line), 422);
    }
    return new Event(t, null, 202);
  }

  private static Map<String, Object> rejected(Map<String, Object> reply, Rejection r) {
    reply.put("status", "rejected");
    reply.put("reason", r.reason().name());
    reply.put("field", r.column());
    reply.put("value", Excerpt.of(r.value()));
    reply.put("message", quote512(r.message()));
    return reply;
  }

  private static void reply(Exchange ex, int status, Map<String, Object> body) {
    // the request's headers (its Authorization among them) must not be echoed in the answer
    ex.getMessage().removeHeaders("*");
    ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    ex.getMessage().setBody(Json.write(body));
  }

  private static Rejection unbounded(long line, String field, String value, RejectReason reason, String original) {
    String problem = TransactionJson.unboundedNumber(value);
    return problem == null ? null : new Rejection(line, reason, field, Excerpt.of(value), field + " " + problem, original);
  }

  private static String quote512(String s) {
    return s == null || s.length() <= 512 ? s : s.substring(0, 512) + "...";
  }

  /** A 40-bit line number from the event's bytes: the same event is the same "line" of the events source. */
  static long contentLine(String body) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 5; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
