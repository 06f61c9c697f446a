package io.valuetier.clean;

import io.valuetier.records.CustomerFacts;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.util.Excerpt;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads customer facts from a CSV whose header names the columns ({@link #COLUMNS}, any order, only
 * {@code customer_id} required) and checks them. One line per customer: a second line for the same customer is
 * rejected as a duplicate, whether or not its facts agree.
 */
public final class CustomerFactsCleaner implements LineCleaner<CustomerFacts> {
  /** The columns a facts file may have. */
  public static final List<String> COLUMNS =
      List.of(
          "customer_id", "segment", "country", "marketing_consent", "loyalty_member", "signup_date",
          "open_complaints", "fraud_flag");

  private final NamedColumns header;
  private final LocalDateTime latest;
  private final Map<String, Long> firstLine = new HashMap<>();


  public CustomerFactsCleaner(String source, String[] header, LocalDateTime latest) {
    this.latest = latest;
    this.header = new NamedColumns(source, "customer facts", COLUMNS, header, List.of("customer_id"));
  }

  public int columns() {
    return header.width();
  }

  @Override
  public Result<CustomerFacts> clean(long line, String[] f, Supplier<String> text) {
    if (f.length != header.width()) {
      return reject(line, RejectReason.WRONG_COLUMN_COUNT, null, null,
          "line has " + f.length + " columns, the header has " + header.width(), text);
    }
    String id = TransactionCleaner.normaliseCustomerId(header.raw(f, 0));
    if (id == null) {
      return reject(line, RejectReason.MISSING_CUSTOMER_ID, "customer_id", header.raw(f, 0), "no customer id", text);
    }
    if (id.length() > 64) {
      return reject(line, RejectReason.FIELD_TOO_LONG, "customer_id", id,
          "customer_id has " + id.length() + " characters; at most 64 are kept", text);
    }
    Boolean consent;
    Boolean loyalty;
    Boolean fraud;
    try {
      consent = header.flag(f, 3);
      loyalty = header.flag(f, 4);
      fraud = header.flag(f, 7);
    } catch (NamedColumns.BadFlag e) {
      return reject(line, RejectReason.BAD_FLAG, e.column(), e.value(),
          e.column() + " '" + Excerpt.of(e.value()) + "' is not yes/no (true, false, yes, no, y, n, 1, 0)", text);
    }
    LocalDate signup = null;
    String sd = header.text(f, 5);
    if (sd != null) {
      LocalDateTime t = Dates.parse(sd);
      if (t == null) {
        return reject(line, RejectReason.BAD_DATE, "signup_date", sd, "signup_date '" + Excerpt.of(sd) + "' is not a date", text);
      }
      if (t.isAfter(latest)) {
        return reject(line, RejectReason.FUTURE_DATE, "signup_date", sd, "signup_date " + Excerpt.of(sd) + " is in the future",
            text);
      }
      signup = t.toLocalDate();
    }
    Integer complaints = null;
    String oc = header.text(f, 6);
    if (oc != null) {
      try {
        complaints = Integer.parseInt(oc);
      } catch (NumberFormatException e) {
        complaints = -1;
      }
      if (complaints < 0) {
        return reject(line, RejectReason.BAD_NUMBER, "open_complaints", oc,
            "open_complaints '" + Excerpt.of(oc) + "' is not a whole number >= 0", text);
      }
    }
    String segment = header.text(f, 1);
    String country = header.text(f, 2);
    if ((segment != null && segment.length() > 64) || (country != null && country.length() > 64)) {
      return reject(line, RejectReason.FIELD_TOO_LONG, segment != null && segment.length() > 64 ? "segment" : "country",
          null, "segment and country keep at most 64 characters", text);
    }
    Long earlier = firstLine.putIfAbsent(id, line);
    if (earlier != null) {
      return reject(line, RejectReason.DUPLICATE, "customer_id", id,
          "customer " + Excerpt.of(id) + " already appears on line " + earlier + "; keep one line per customer", text);
    }
    return new Result<>(new CustomerFacts(id, segment, country, consent, loyalty, signup, complaints, fraud), null);
  }

  private static Result<CustomerFacts> reject(
      long line, RejectReason r, String column, String value, String message, Supplier<String> text) {
    return new Result<>(null, new Rejection(line, r, column, value, message, text.get()));
  }
}
