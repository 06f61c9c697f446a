package io.valuetier.util;

/**
 * Bounded quotations of input in messages and stored rejections, so that no error, log line or stored row holds more
 * than a few KB of what a client or a file sent: a value is quoted with at most {@link #VALUE_CHARS} characters, a
 * whole record with at most {@link #RECORD_CHARS}, and a cut is always visible with the full length.
 */
public final class Excerpt {
  /** Characters of a value quoted in a message. */
  public static final int VALUE_CHARS = 64;

  /** Characters of a value kept in a stored rejection. */
  public static final int STORED_VALUE_CHARS = 256;

  /** Characters of a message kept in a stored rejection (the column holds 1024). */
  public static final int MESSAGE_CHARS = 960;

  /** Characters of a record's original text kept in a stored rejection. */
  public static final int RECORD_CHARS = 4096;

  private Excerpt() {}

  /** The value as quoted in a message: at most 64 characters, then {@code …} and the full length. */
  public static String of(String value) {
    return cut(value, VALUE_CHARS, "… (" + (value == null ? 0 : value.length()) + " chars)");
  }

  /** At most {@code max} characters of {@code text}, then a note {@code … [truncated, N chars]}. */
  public static String truncated(String text, int max) {
    return cut(text, max, "… [truncated, " + (text == null ? 0 : text.length()) + " chars]");
  }

  private static String cut(String s, int max, String note) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return s.substring(0, end) + note;
  }
}
