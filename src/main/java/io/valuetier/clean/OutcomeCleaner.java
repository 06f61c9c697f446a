package io.valuetier.clean;

import io.valuetier.records.Outcome;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.util.Excerpt;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks one line of an outcomes file, whose header names its columns ({@link #COLUMNS}, any order;
 * {@code decision_id} and {@code responded} required). Whether the decision exists is checked later, against the
 * store, a slice at a time.
 */
public final class OutcomeCleaner implements LineCleaner<Outcome> {
  /** The columns an outcomes file may have. */
  public static final List<String> COLUMNS =
      List.of("decision_id", "customer_id", "responded", "purchased", "revenue", "window_days", "observed_at");

  private static final BigDecimal MAX_REVENUE = new BigDecimal("1e12");

  private final NamedColumns header;
  private final LocalDateTime latest;
  private final Map<Long, Long> firstLine = new HashMap<>();


  public OutcomeCleaner(String source, String[] header, LocalDateTime latest) {
    this.latest = latest;
    this.header = new NamedColumns(source, "outcomes", COLUMNS, header, List.of("decision_id", "responded"));
  }

  @Override
  public Result<Outcome> clean(long line, String[] f, Supplier<String> text) {
    if (f.length != header.width()) {
      return reject(line, RejectReason.WRONG_COLUMN_COUNT, null, null,
          "line has " + f.length + " columns, the header has " + header.width(), text);
    }
    String idText = header.text(f, 0);
    if (idText == null) {
      return reject(line, RejectReason.MISSING_DECISION_ID, "decision_id", null, "no decision id", text);
    }
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      return reject(line, RejectReason.BAD_NUMBER, "decision_id", idText,
          "decision_id '" + Excerpt.of(idText) + "' is not a decision id (a whole number)", text);
    }
    Boolean responded;
    Boolean purchased;
    try {
      responded = header.flag(f, 2);
      purchased = header.flag(f, 3);
    } catch (NamedColumns.BadFlag e) {
      return reject(line, RejectReason.BAD_FLAG, e.column(), e.value(),
          e.column() + " '" + Excerpt.of(e.value()) + "' is not yes/no (true, false, yes, no, y, n, 1, 0)", text);
    }
    if (responded == null) {
      return reject(line, RejectReason.BAD_FLAG, "responded", null, "responded is empty: say yes or no", text);
    }
    BigDecimal revenue = BigDecimal.ZERO;
    String rev = header.text(f, 4);
    if (rev != null) {
      Numbers.Parsed parsed = Numbers.decimal(rev);
      if (!parsed.ok()) {
        return reject(line, RejectReason.BAD_NUMBER, "revenue", rev, "revenue '" + Excerpt.of(rev) + "' " + parsed.problem(),
            text);
      }
      revenue = parsed.value();
      if (revenue.signum() < 0 || revenue.compareTo(MAX_REVENUE) > 0) {
        return reject(line, RejectReason.BAD_NUMBER, "revenue", rev,
            "revenue '" + Excerpt.of(rev) + "' is not an amount from 0 to 1000000000000", text);
      }
    }
    Integer window = null;
    String w = header.text(f, 5);
    if (w != null) {
      try {
        window = Integer.parseInt(w);
      } catch (NumberFormatException e) {
        window = -1;
      }
      if (window < 0) {
        return reject(line, RejectReason.BAD_NUMBER, "window_days", w, "window_days '" + Excerpt.of(w) + "' is not a number of days", text);
      }
    }
    LocalDateTime observed = null;
    String o = header.text(f, 6);
    if (o != null) {
      observed = Dates.parse(o);
      if (observed == null) {
        return reject(line, RejectReason.BAD_DATE, "observed_at", o, "observed_at '" + Excerpt.of(o) + "' is not a date", text);
      }
      if (observed.isAfter(latest)) {
        return reject(line, RejectReason.FUTURE_DATE, "observed_at", o, "observed_at " + Excerpt.of(o) + " is in the future", text);
      }
    }
    String customer = header.text(f, 1);
    if (customer != null && customer.length() > 64) {
      return reject(line, RejectReason.FIELD_TOO_LONG, "customer_id", customer,
          "customer_id has " + customer.length() + " characters; at most 64 are kept", text);
    }
    Long earlier = firstLine.putIfAbsent(id, line);
    if (earlier != null) {
      return reject(line, RejectReason.DUPLICATE, "decision_id", idText,
          "decision " + id + " already has an outcome on line " + earlier + "; keep one line per decision", text);
    }
    boolean bought = purchased != null ? purchased : revenue.signum() > 0;
    return new Result<>(new Outcome(id, customer, responded, bought, revenue, window, observed, line), null);
  }

  private static Result<Outcome> reject(
      long line, RejectReason r, String column, String value, String message, Supplier<String> text) {
    return new Result<>(null, new Rejection(line, r, column, value, message, text.get()));
  }
}
