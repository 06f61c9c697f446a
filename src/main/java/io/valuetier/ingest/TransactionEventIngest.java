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
  private volatile int sourceId;

  /**
   * @param admit runs first on every request; false when it has already answered (refused) the request
   */
  public TransactionEventIngest(IngestStore store, Supplier<CleaningRules> rules, Predicate<Exchange> admit) {
    this.store = store;
    this.rules = rules;
    this.admit = admit;
  }

  private int sourceId() {
    int id = sourceId;
    if (id == 0) {
      id = store.runs().sourceId(SOURCE, "events", SOURCE);
      sourceId = id;
    }
    return id;
  }

  /** Handles one POSTed event; sets the HTTP status and a JSON reply as the body. */
  public void accept(Exchange exchange) {
    if (!admit.test(exchange)) {
      return;
    }
    String body = exchange.getMessage().getBody(String.class);
    body = body == null ? "" : body;
    long line = contentLine(body);
    Map<String, Object> reply = new LinkedHashMap<>();
    JsonNode node;
    try {
      node = EVENTS.readTree(body);
    } catch (Exception e) {
      node = null;
    }
    if (node == null || !node.isObject() || node.size() > MAX_FIELDS) {
      Rejection r =
          new Rejection(line, RejectReason.BAD_JSON, null, null,
              node != null && node.size() > MAX_FIELDS
                  ? "the event has " + node.size() + " fields; at most " + MAX_FIELDS + " are read"
                  : "the body is not a JSON object within the limits (nesting 16, numbers of 64 characters; expected"
                      + " fields " + TransactionJson.FIELDS + ")",
              body);
      store.rejections().writeRejections(List.of(r), sourceId());
      reply(exchange, 400, rejected(reply, r));
      return;
    }
    TransactionDraft d = TransactionJson.draft(node, null, TransactionJson::anyText);
    String original = body;
    Rejection unbounded = unbounded(line, "quantity", d.quantity, RejectReason.ABSURD_QUANTITY, original);
    if (unbounded == null) {
      unbounded = unbounded(line, "unit_price", d.unitPrice, RejectReason.ABSURD_PRICE, original);
    }
    if (unbounded != null) {
      store.rejections().writeRejections(List.of(unbounded), sourceId());
      reply(exchange, 422, rejected(reply, unbounded));
      return;
    }
    TransactionCleaner.Result res = TransactionCleaner.forSingleRecords(rules.get()).clean(line, d, () -> original);
    if (res.rejected() != null) {
      store.rejections().writeRejections(List.of(res.rejected()), sourceId());
      reply(exchange, 422, rejected(reply, res.rejected()));
      return;
    }
    Transaction t = res.accepted();
    if (store.store().erasedCustomers().isErased(t.customerId())) {
      Rejection erased = RecordIngest.erasedRejection(line);
      store.rejections().writeRejections(List.of(erased), sourceId());
      reply(exchange, 422, rejected(reply, erased));
      return;
    }
    store.transactions().writeTransactions(List.of(t), sourceId());
    store.customers().addSeenCustomers(Map.of(t.customerId(), new SeenCustomer(t.country(), t.timestamp())));
    reply.put("status", "accepted");
    reply.put("customer_id", t.customerId());
    reply.put("return", t.isReturn());
    reply.put("outlier", t.isOutlier());
    reply(exchange, 202, reply);
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
