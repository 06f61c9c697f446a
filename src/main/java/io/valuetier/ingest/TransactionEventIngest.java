package io.valuetier.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.Rejection;
import io.valuetier.clean.Transaction;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.store.IngestStore;
import io.valuetier.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * Single transaction events over HTTP (route {@code ingest-transaction-events}): a JSON object with the canonical
 * fields ({@code order_id, customer_id, order_date, product_id, description, quantity, unit_price, currency,
 * country}) is cleaned by the same rules as files and stored at once. Posting the same event again stores nothing
 * new. A bad event gets 422 (or 400 when it is not JSON) with the reason and field, and is kept in
 * {@code rejected_records} like a bad file line.
 */
public final class TransactionEventIngest {
  /** The source under which events and their rejections are stored. */
  public static final String SOURCE = "http:transaction-events";

  private static final List<String> FIELDS =
      List.of(
          "order_id", "customer_id", "order_date", "product_id", "description", "quantity", "unit_price", "currency",
          "country");

  private final IngestStore store;
  private final Supplier<CleaningRules> rules;
  private volatile int sourceId;

  public TransactionEventIngest(IngestStore store, Supplier<CleaningRules> rules) {
    this.store = store;
    this.rules = rules;
  }

  private int sourceId() {
    int id = sourceId;
    if (id == 0) {
      id = store.sourceId(SOURCE, "events", SOURCE);
      sourceId = id;
    }
    return id;
  }

  /** Handles one POSTed event; sets the HTTP status and a JSON reply as the body. */
  public void accept(Exchange exchange) {
    String body = exchange.getMessage().getBody(String.class);
    body = body == null ? "" : body;
    long line = contentLine(body);
    Map<String, Object> reply = new LinkedHashMap<>();
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      Rejection r =
          new Rejection(line, RejectReason.BAD_JSON, null, null,
              "the body is not a JSON object (expected fields " + FIELDS + ")", body);
      store.writeRejections(List.of(r), sourceId());
      reply(exchange, 400, rejected(reply, r));
      return;
    }
    TransactionDraft d = new TransactionDraft();
    d.orderId = text(node, "order_id");
    d.customerId = text(node, "customer_id");
    d.date = text(node, "order_date");
    d.productId = text(node, "product_id");
    d.description = text(node, "description");
    d.quantity = text(node, "quantity");
    d.unitPrice = text(node, "unit_price");
    d.currency = text(node, "currency");
    d.country = text(node, "country");
    String original = body;
    TransactionCleaner.Result res = TransactionCleaner.forSingleRecords(rules.get()).clean(line, d, () -> original);
    if (res.rejected() != null) {
      store.writeRejections(List.of(res.rejected()), sourceId());
      reply(exchange, 422, rejected(reply, res.rejected()));
      return;
    }
    Transaction t = res.accepted();
    if (store.store().erasedCustomers().isErased(t.customerId())) {
      Rejection erased = RecordIngest.erasedRejection(line);
      store.writeRejections(List.of(erased), sourceId());
      reply(exchange, 422, rejected(reply, erased));
      return;
    }
    store.writeTransactions(List.of(t), sourceId());
    store.addSeenCustomers(Map.of(t.customerId(), new IngestStore.SeenCustomer(t.country(), t.timestamp())));
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
    reply.put("value", r.value());
    reply.put("message", r.message());
    return reply;
  }

  private static void reply(Exchange ex, int status, Map<String, Object> body) {
    ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    ex.getMessage().setBody(Json.write(body));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
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
