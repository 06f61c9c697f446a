package io.valuetier.clean;

import io.valuetier.ingest.CustomerFacts;
import io.valuetier.ingest.IngestException;
import io.valuetier.ingest.RejectReason;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads customer facts from a CSV whose header names the columns ({@link #COLUMNS}, any order, only
 * {@code customer_id} required) and checks them. One line per customer: a second line for the same customer is
 * rejected as a duplicate, whether or not its facts agree.
 */
public final class CustomerFactsCleaner {
  /** The columns a facts file may have. */
  public static final List<String> COLUMNS =
      List.of(
          "customer_id", "segment", "country", "marketing_consent", "loyalty_member", "signup_date",
          "open_complaints", "fraud_flag");

  private final int[] pos = new int[COLUMNS.size()];
  private final int columns;
  private final LocalDateTime latest;
  private final Map<String, Long> firstLine = new HashMap<>();

  /** Outcome of one line: exactly one of the two is set. */
  public record Result(CustomerFacts accepted, Rejection rejected) {}

  public CustomerFactsCleaner(String source, String[] header, LocalDateTime latest) {
    this.latest = latest;
    this.columns = header.length;
    Arrays.fill(pos, -1);
    for (int i = 0; i < header.length; i++) {
      int k = COLUMNS.indexOf(header[i].strip().toLowerCase(Locale.ROOT));
      if (k < 0) {
        throw new IngestException(
            source + " line 1: unknown column '" + header[i] + "' in the customer facts header; known columns: "
                + COLUMNS);
      }
      pos[k] = i;
    }
    if (pos[0] < 0) {
      throw new IngestException(source + " line 1: the customer facts header has no customer_id column");
    }
  }

  public int columns() {
    return columns;
  }

  public Result clean(long line, String[] f, Supplier<String> text) {
    if (f.length != columns) {
      return reject(line, RejectReason.WRONG_COLUMN_COUNT, null, null,
          "line has " + f.length + " columns, the header has " + columns, text);
    }
    String id = TransactionCleaner.normaliseCustomerId(f[pos[0]]);
    if (id == null) {
      return reject(line, RejectReason.MISSING_CUSTOMER_ID, "customer_id", f[pos[0]], "no customer id", text);
    }
    if (id.length() > 64) {
      return reject(line, RejectReason.FIELD_TOO_LONG, "customer_id", id, "customer id longer than 64", text);
    }
    Boolean consent;
    Boolean loyalty;
    Boolean fraud;
    try {
      consent = flag(f, 3);
      loyalty = flag(f, 4);
      fraud = flag(f, 7);
    } catch (BadField e) {
      return reject(line, RejectReason.BAD_FLAG, e.column, e.value,
          e.column + " '" + e.value + "' is not yes/no (true, false, yes, no, y, n, 1, 0)", text);
    }
    LocalDate signup = null;
    String sd = text(f, 5);
    if (sd != null) {
      LocalDateTime t = Dates.parse(sd);
      if (t == null) {
        return reject(line, RejectReason.BAD_DATE, "signup_date", sd, "signup_date '" + sd + "' is not a date", text);
      }
      if (t.isAfter(latest)) {
        return reject(line, RejectReason.FUTURE_DATE, "signup_date", sd, "signup_date " + sd + " is in the future",
            text);
      }
      signup = t.toLocalDate();
    }
    Integer complaints = null;
    String oc = text(f, 6);
    if (oc != null) {
      try {
        complaints = Integer.parseInt(oc);
      } catch (NumberFormatException e) {
        complaints = -1;
      }
      if (complaints < 0) {
        return reject(line, RejectReason.BAD_NUMBER, "open_complaints", oc,
            "open_complaints '" + oc + "' is not a whole number >= 0", text);
      }
    }
    String segment = text(f, 1);
    String country = text(f, 2);
    if ((segment != null && segment.length() > 64) || (country != null && country.length() > 64)) {
      return reject(line, RejectReason.FIELD_TOO_LONG, segment != null && segment.length() > 64 ? "segment" : "country",
          null, "segment and country keep at most 64 characters", text);
    }
    Long earlier = firstLine.putIfAbsent(id, line);
    if (earlier != null) {
      return reject(line, RejectReason.DUPLICATE, "customer_id", id,
          "customer " + id + " already appears on line " + earlier + "; keep one line per customer", text);
    }
    return new Result(new CustomerFacts(id, segment, country, consent, loyalty, signup, complaints, fraud), null);
  }

  private String text(String[] f, int k) {
    if (pos[k] < 0) {
      return null;
    }
    String s = f[pos[k]].strip();
    return s.isEmpty() ? null : s;
  }

  private Boolean flag(String[] f, int k) throws BadField {
    String s = text(f, k);
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "t" -> Boolean.TRUE;
      case "false", "no", "n", "0", "f" -> Boolean.FALSE;
      default -> throw new BadField(COLUMNS.get(k), s);
    };
  }

  private static final class BadField extends Exception {
    final String column;
    final String value;

    BadField(String column, String value) {
      super(column, null, false, false);
      this.column = column;
      this.value = value;
    }
  }

  private static Result reject(
      long line, RejectReason r, String column, String value, String message, Supplier<String> text) {
    return new Result(null, new Rejection(line, r, column, value, message, text.get()));
  }
}
