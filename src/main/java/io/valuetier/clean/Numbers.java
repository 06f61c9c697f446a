package io.valuetier.clean;

import java.math.BigDecimal;

/**
 * Reads a decimal number from input text within fixed bounds, before any {@link BigDecimal} is built: at most
 * {@link #MAX_LENGTH} characters, {@link #MAX_DIGITS} significant digits and an exponent within
 * ±{@link #MAX_EXPONENT}. Unbounded text such as {@code 1e999999999} would otherwise give a number whose plain
 * notation is a billion characters long. Only plain notation is read: an optional sign, digits with at most one
 * decimal point, an optional exponent; no thousands separators, no {@code NaN} or {@code Infinity}.
 */
public final class Numbers {
  /** Longest number text read. */
  public static final int MAX_LENGTH = 40;

  /** Most significant digits read. */
  public static final int MAX_DIGITS = 30;

  /** Largest exponent (either sign) read. */
  public static final int MAX_EXPONENT = 30;

  /** A number, or why the text is not one (exactly one is set). */
  public record Parsed(BigDecimal value, String problem) {
    public boolean ok() {
      return value != null;
    }
  }

  private Numbers() {}

  /** The number in {@code text} (stripped), or the problem in words; an empty or null text is "empty". */
  public static Parsed decimal(String text) {
    if (text == null || text.isBlank()) {
      return new Parsed(null, "is empty");
    }
    String t = text.strip();
    if (t.length() > MAX_LENGTH) {
      return new Parsed(null, "is " + t.length() + " characters long; a number has at most " + MAX_LENGTH);
    }
    int n = t.length();
    int i = 0;
    if (t.charAt(i) == '+' || t.charAt(i) == '-') {
      i++;
    }
    int digits = 0;
    int significant = 0;
    boolean point = false;
    for (; i < n; i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        if (significant > 0 || c != '0') {
          significant++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      return new Parsed(null, "is not a number");
    }
    if (significant > MAX_DIGITS) {
      return new Parsed(null, "has " + significant + " significant digits; at most " + MAX_DIGITS + " are read");
    }
    if (i < n) {
      char e = t.charAt(i);
      if (e != 'e' && e != 'E') {
        return new Parsed(null, "is not a number");
      }
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      if (i == n) {
        return new Parsed(null, "is not a number");
      }
      long exponent = 0;
      for (; i < n; i++) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
          return new Parsed(null, "is not a number");
        }
        exponent = Math.min(exponent * 10 + (c - '0'), Integer.MAX_VALUE); // at most 40 digits: no overflow
      }
      if (exponent > MAX_EXPONENT) {
        return new Parsed(null, "has an exponent beyond ±" + MAX_EXPONENT + "; write the number in plain notation");
      }
    }
    try {
      return new Parsed(new BigDecimal(t), null);
    } catch (NumberFormatException e) {
      return new Parsed(null, "is not a number");
    }
  }
}
