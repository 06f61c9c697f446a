package io.valuetier.clean;

import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.records.Transaction;
import io.valuetier.records.TransactionDraft;
import io.valuetier.util.Excerpt;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The cleaning rules for one source: turns a {@link TransactionDraft} into a {@link Transaction} or a
 * {@link Rejection} with a reason code. The first failing check wins, in this order: customer id, field lengths, date,
 * quantity, price, currency, duplicate.
 *
 * <p>Cancellations (Online Retail invoices starting with "C") and negative quantities are returns: kept, with a
 * negative amount, and netted against the customer's spend downstream. Lines beyond the outlier thresholds are kept
 * and flagged. Not thread-safe: one cleaner per source.
 *
 * <p>Every input is bounded before it is used: numbers by {@link Numbers}, dates by {@link Dates#MAX_LENGTH}, texts by
 * the store's column sizes; messages quote values through {@link Excerpt}, so a rejection is small whatever came in.
 */
public final class TransactionCleaner {
  private static final BigDecimal MAX_STORED = new BigDecimal("99999999999999");

  private final CleaningRules rules;
  private final boolean cancellationPrefix;
  private final boolean identicalLinesAreDuplicates;
  private final boolean trackRepeats;
  private final KeySet seen = new KeySet(1 << 16);
  private final MessageDigest md5;

  /** Outcome of one check: exactly one of the two is set. */
  public record Result(Transaction accepted, Rejection rejected) {}

  /**
   * @param cancellationPrefix whether an order id starting with "C" marks a cancellation (the Online Retail layouts)
   * @param identicalLinesAreDuplicates whether a second identical line is a duplicate (false where lines carry no
   *     order id, as in CDNOW, so that two identical purchases stay two)
   */
  public TransactionCleaner(CleaningRules rules, boolean cancellationPrefix, boolean identicalLinesAreDuplicates) {
    this(rules, cancellationPrefix, identicalLinesAreDuplicates, true);
  }

  private TransactionCleaner(
      CleaningRules rules, boolean cancellationPrefix, boolean identicalLinesAreDuplicates, boolean trackRepeats) {
    this.trackRepeats = trackRepeats;
    this.rules = rules;
    this.cancellationPrefix = cancellationPrefix;
    this.identicalLinesAreDuplicates = identicalLinesAreDuplicates;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }

  /**
   * A cleaner for single events (HTTP, JDBC polling): each record stands alone, so a repeated event is the same line
   * (stored once, idempotently) rather than a duplicate within a file.
   */
  public static TransactionCleaner forSingleRecords(CleaningRules rules) {
    return new TransactionCleaner(rules, false, true, false);
  }

  public Result clean(long line, TransactionDraft d, Supplier<String> originalText) {
    String customerId = normaliseCustomerId(d.customerId);
    if (customerId == null) {
      return reject(line, RejectReason.MISSING_CUSTOMER_ID, "customer_id", d.customerId, "no customer id", originalText);
    }
    Result tooLong =
        firstTooLong(
            line,
            originalText,
            new String[] {"customer_id", "order_id", "product_id", "country", "description"},
            new String[] {customerId, d.orderId, d.productId, d.country, d.description},
            new int[] {64, 64, 64, 64, 512});
    if (tooLong != null) {
      return tooLong;
    }
    LocalDateTime ts = Dates.parse(d.date);
    if (ts == null || ts.isBefore(rules.earliestAllowed())) {
      return reject(
          line, RejectReason.BAD_DATE, "date", d.date,
          "date '" + Excerpt.of(d.date) + "' is not a readable date (use YYYY-MM-DD HH:MM:SS)", originalText);
    }
    if (ts.isAfter(rules.latestAllowed())) {
      return reject(
          line, RejectReason.FUTURE_DATE, "date", d.date,
          "date " + ts + " is after " + rules.latestAllowed() + " (now plus the tolerance)", originalText);
    }
    Numbers.Parsed q = Numbers.decimal(d.quantity);
    if (!q.ok()) {
      return reject(line, RejectReason.BAD_QUANTITY, "quantity", d.quantity,
          "quantity '" + Excerpt.of(d.quantity) + "' " + q.problem(), originalText);
    }
    BigDecimal qty = q.value();
    if (qty.signum() == 0) {
      return reject(line, RejectReason.BAD_QUANTITY, "quantity", d.quantity, "quantity is zero", originalText);
    }
    if (qty.abs().compareTo(rules.maxAbsQuantity()) > 0) {
      return reject(line, RejectReason.ABSURD_QUANTITY, "quantity", d.quantity,
          "quantity " + Excerpt.of(d.quantity.strip()) + " is beyond the maximum of "
              + rules.maxAbsQuantity().toPlainString() + " (valuetier.clean.max-abs-quantity)", originalText);
    }
    boolean cancelled = cancellationPrefix && d.orderId != null && d.orderId.startsWith("C");
    if (cancelled && qty.signum() > 0) {
      qty = qty.negate();
    }
    BigDecimal price;
    String priceColumn = d.unitPrice != null ? "unit_price" : "line_amount";
    String priceText = d.unitPrice != null ? d.unitPrice : d.lineAmount;
    Numbers.Parsed p = Numbers.decimal(priceText);
    if (!p.ok()) {
      return reject(line, RejectReason.BAD_PRICE, priceColumn, priceText,
          priceColumn + " '" + Excerpt.of(priceText) + "' " + p.problem(), originalText);
    }
    BigDecimal given = p.value();
    if (d.unitPrice != null) {
      price = given;
    } else {
      // A line total (CDNOW): the sign of the quantity carries the return, the total is the magnitude.
      price = given.abs().divide(qty.abs(), 4, RoundingMode.HALF_EVEN);
      if (given.signum() < 0) {
        return reject(line, RejectReason.NEGATIVE_PRICE, priceColumn, priceText,
            "line amount " + Excerpt.of(priceText.strip()) + " is negative", originalText);
      }
    }
    if (price.signum() < 0) {
      return reject(line, RejectReason.NEGATIVE_PRICE, priceColumn, priceText,
          "price " + Excerpt.of(priceText.strip())
              + " is negative (a return has a negative quantity, not a negative price)", originalText);
    }
    if (given.signum() == 0) {
      return reject(line, RejectReason.ZERO_PRICE, priceColumn, priceText, "price is zero", originalText);
    }
    if (price.compareTo(rules.maxUnitPrice()) > 0) {
      return reject(line, RejectReason.ABSURD_PRICE, priceColumn, priceText,
          "unit price " + Excerpt.of(price.toPlainString()) + " is beyond the maximum of "
              + rules.maxUnitPrice().toPlainString() + " (valuetier.clean.max-unit-price)", originalText);
    }
    BigDecimal amount = d.unitPrice != null ? qty.multiply(price) : given.abs().multiply(BigDecimal.valueOf(qty.signum()));
    if (amount.abs().compareTo(MAX_STORED) > 0) {
      return reject(line, RejectReason.ABSURD_PRICE, priceColumn, priceText,
          "line amount " + Excerpt.of(amount.toPlainString()) + " is too large to store", originalText);
    }
    String currency = d.currency == null || d.currency.isBlank() ? rules.defaultCurrency() : d.currency.strip();
    if (!isCurrency(currency)) {
      return reject(line, RejectReason.BAD_CURRENCY, "currency", d.currency,
          "currency '" + Excerpt.of(d.currency) + "' is not a 3-letter ISO 4217 code in capitals", originalText);
    }
    // Content key: the same line from any file or layout maps to the same key.
    md5.reset();
    feed(d.orderId);
    feed(customerId);
    feed(ts.toString());
    feed(d.productId);
    feed(d.description);
    feed(qty.toPlainString());
    feed(price.toPlainString());
    feed(currency);
    feed(d.country);
    byte[] h = md5.digest();
    long hi = rowKey(ts, toLong(h, 0));
    long lo = toLong(h, 8);
    int before = trackRepeats ? seen.addAndCount(hi, lo) : 0;
    if (before > 0) {
      if (identicalLinesAreDuplicates) {
        return reject(line, RejectReason.DUPLICATE, null, null,
            "exact copy of an earlier line of this source", originalText);
      }
      // A repeat without an order id is a separate purchase: its key carries its occurrence number.
      md5.update((byte) 2);
      md5.update(Integer.toString(before).getBytes(StandardCharsets.US_ASCII));
      byte[] h2 = md5.digest(h);
      hi = rowKey(ts, toLong(h2, 0));
      lo = toLong(h2, 8);
    }
    boolean outlier =
        qty.abs().compareTo(rules.outlierQuantity()) > 0 || amount.abs().compareTo(rules.outlierAmount()) > 0;
    return new Result(
        new Transaction(
            hi, lo, customerId, blankToNull(d.orderId), ts, blankToNull(d.productId), blankToNull(d.description),
            qty, price, amount, currency, blankToNull(d.country), qty.signum() < 0, outlier, line),
        null);
  }

  /**
   * The stored key of a line: the minute of the order since 1970 in the high 26 bits (so that a time-ordered file
   * appends nearly in key order) and 37 bits of the content hash below it. A collision (same key, other content) is
   * detected by the store through {@code row_check} and moved to the next free key.
   */
  static long rowKey(LocalDateTime ts, long hash) {
    long minutes = ts.toEpochSecond(ZoneOffset.UTC) / 60;
    minutes = Math.max(0, Math.min(minutes, (1L << 26) - 1));
    return (minutes << 37) | (hash >>> 27);
  }

  /** Customer ids are kept as text; a float export such as {@code 17850.0} is read as {@code 17850}. */
  static String normaliseCustomerId(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("null") || s.equalsIgnoreCase("na")) {
      return null;
    }
    int dot = s.indexOf('.');
    if (dot > 0) {
      boolean digitsThenZeros = true;
      for (int i = 0; i < s.length() && digitsThenZeros; i++) {
        char c = s.charAt(i);
        digitsThenZeros = i < dot ? c >= '0' && c <= '9' : i == dot || c == '0';
      }
      if (digitsThenZeros) {
        return s.substring(0, dot);
      }
    }
    return s;
  }

  private Result firstTooLong(
      long line, Supplier<String> text, String[] names, String[] values, int[] max) {
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null && values[i].length() > max[i]) {
        return reject(line, RejectReason.FIELD_TOO_LONG, names[i], values[i],
            names[i] + " has " + values[i].length() + " characters; at most " + max[i] + " are kept", text);
      }
    }
    return null;
  }

  private static boolean isCurrency(String c) {
    return c.length() == 3
        && Character.isUpperCase(c.charAt(0)) && Character.isUpperCase(c.charAt(1)) && Character.isUpperCase(c.charAt(2));
  }

  private static String blankToNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    return t.isEmpty() ? null : t;
  }

  private void feed(String s) {
    if (s != null) {
      md5.update(s.strip().getBytes(StandardCharsets.UTF_8));
    }
    md5.update((byte) 1);
  }

  private static long toLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static Result reject(
      long line, RejectReason reason, String column, String value, String message, Supplier<String> text) {
    return new Result(null, new Rejection(line, reason, column, value, message, text.get()));
  }
}
