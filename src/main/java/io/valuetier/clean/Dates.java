package io.valuetier.clean;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads the date and time notations that transaction sources use: ISO-8601 ({@code 2011-12-09 12:50:00},
 * {@code 2011-12-09T12:50}, with or without seconds or an offset, which is converted to UTC), a bare date
 * ({@code 2011-12-09}), CDNOW's {@code 19970101}, and the UCI spreadsheet export {@code 12/9/2011 12:50} (month
 * first). Impossible dates such as 2011-02-30 are not readable, nor is text longer than {@link #MAX_LENGTH}.
 */
public final class Dates {
  /** Longest date text read: the longest notation, with nanoseconds and an offset, is 35 characters. */
  public static final int MAX_LENGTH = 40;

  private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]");

  private Dates() {}

  /** The instant, or {@code null} when the text is not a date of a known notation. */
  public static LocalDateTime parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    int n = s.length();
    if (n > MAX_LENGTH) {
      return null;
    }
    try {
      if (n == 8 && allDigits(s, 0, 8)) {
        return LocalDate.of(num(s, 0, 4), num(s, 4, 6), num(s, 6, 8)).atStartOfDay();
      }
      if (n >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-' && allDigits(s, 0, 4) && allDigits(s, 5, 7)
          && allDigits(s, 8, 10)) {
        int y = num(s, 0, 4);
        int mo = num(s, 5, 7);
        int d = num(s, 8, 10);
        if (n == 10) {
          return LocalDate.of(y, mo, d).atStartOfDay();
        }
        char sep = s.charAt(10);
        if ((sep == ' ' || sep == 'T') && n >= 16 && s.charAt(13) == ':' && allDigits(s, 11, 13)
            && allDigits(s, 14, 16)) {
          int h = num(s, 11, 13);
          int mi = num(s, 14, 16);
          if (n == 16) {
            return LocalDateTime.of(y, mo, d, h, mi);
          }
          if (n == 19 && s.charAt(16) == ':' && allDigits(s, 17, 19)) {
            return LocalDateTime.of(y, mo, d, h, mi, num(s, 17, 19));
          }
          String iso = sep == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
          try {
            return LocalDateTime.parse(iso);
          } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
          }
        }
        return null;
      }
      if (s.indexOf('/') > 0) {
        return LocalDateTime.parse(s, US);
      }
    } catch (DateTimeException e) {
      return null;
    }
    return null;
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int num(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }
}
