package io.valuetier.store;

/** Text cut to the length of the column that stores it. */
final class ColumnText {
  private ColumnText() {}

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
