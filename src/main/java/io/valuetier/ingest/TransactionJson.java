package io.valuetier.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.records.TransactionDraft;
import io.valuetier.util.Excerpt;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * One order line as JSON, the mapping shared by the transaction events ({@link TransactionEventIngest}) and the lines
 * a decision request carries (the API): the canonical fields ({@link #FIELDS}) onto a {@link TransactionDraft}, and
 * the range check both run on the quantity and price before cleaning. How a field's value is read is the caller's
 * choice ({@link FieldReader}): an event takes any value as text ({@link #anyText}), the API refuses what is neither
 * a string nor a number.
 */
public final class TransactionJson {
  /** The fields of an order line, in the order they are read. */
  public static final List<String> FIELDS =
      List.of(
          "order_id", "customer_id", "order_date", "product_id", "description", "quantity", "unit_price", "currency",
          "country");

  private static final int MAX_QUOTE = Excerpt.VALUE_CHARS;
  /** Digits a quantity or price may have before (and after) its decimal point. */
  private static final int MAX_DIGITS = 18;

  /** Reads one field of a line as text (null when absent or JSON null); may throw for a value it refuses. */
  @FunctionalInterface
  public interface FieldReader {
    String read(JsonNode line, String field);
  }

  private TransactionJson() {}

  /**
   * The draft of one line, its fields read by {@code read} in the order of {@link #FIELDS}. With a {@code customerId}
   * the line's own {@code customer_id} is not read: the given id is the line's customer.
   */
  public static TransactionDraft draft(JsonNode line, String customerId, FieldReader read) {
    TransactionDraft d = new TransactionDraft();
    d.orderId = read.read(line, "order_id");
    d.customerId = customerId != null ? customerId : read.read(line, "customer_id");
    d.date = read.read(line, "order_date");
    d.productId = read.read(line, "product_id");
    d.description = read.read(line, "description");
    d.quantity = read.read(line, "quantity");
    d.unitPrice = read.read(line, "unit_price");
    d.currency = read.read(line, "currency");
    d.country = read.read(line, "country");
    return d;
  }

  /** A field as text whatever its JSON type: a value as its text, an array or object as its JSON; null when absent. */
  public static String anyText(JsonNode line, String field) {
    JsonNode v = line.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /**
   * Why a number text is out of any sensible range for a quantity or price, or null when it is not (including when
   * it is no number at all: the cleaner says that). Out of range: longer than 64 characters, not finite, or more
   * than 18 digits before or after the decimal point, as {@code 1e999999999} has; deciding this never expands the
   * number.
   */
  public static String unboundedNumber(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    if (t.length() > MAX_QUOTE) {
      return "is longer than " + MAX_QUOTE + " characters";
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.contains("infinity") || lower.contains("nan")) {
      return "is not a finite number";
    }
    BigDecimal n;
    try {
      n = new BigDecimal(t);
    } catch (NumberFormatException notANumber) {
      return null;
    }
    long integerDigits = (long) n.precision() - n.scale();
    if (integerDigits > MAX_DIGITS || n.scale() > MAX_DIGITS) {
      return "is out of range (at most " + MAX_DIGITS + " digits before and after the decimal point)";
    }
    return null;
  }
}
