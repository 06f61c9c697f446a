package io.valuetier.util;

/**
 * Cells of the CSV files that people open in a spreadsheet, written so that no cell is run as a formula (OWASP, "CSV
 * Injection"): a text cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return
 * gets a leading single quote {@code '} and is quoted, so a spreadsheet shows it as text. Every cell is quoted as RFC
 * 4180 requires (commas, quotes, line breaks; embedded quotes doubled); semicolons are quoted too, since some
 * spreadsheets split on them.
 *
 * <p>Numbers, times and flags that the product formats itself (a predicted value of {@code -3.5}) are not text from
 * data and are written as they are, so that a spreadsheet still reads them as numbers. Files meant as input for the
 * product (JSON Lines, the simulated outcomes file) keep values exact.
 */
public final class CsvCell {
  private CsvCell() {}

  /** A text cell from data: neutralised when it could start a formula, quoted when needed. */
  public static String text(String v) {
    if (v == null || v.isEmpty()) {
      return "";
    }
    if (startsFormula(v)) {
      return '"' + ("'" + v).replace("\"", "\"\"") + '"';
    }
    return quoted(v);
  }

  /** A cell quoted as RFC 4180 requires, with the value unchanged (for files read back by programs). */
  public static String quoted(String v) {
    if (v == null) {
      return "";
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r' || c == ';') {
        return '"' + v.replace("\"", "\"\"") + '"';
      }
    }
    return v;
  }

  /** Whether a spreadsheet would read a cell starting like {@code v} as a formula. */
  public static boolean startsFormula(String v) {
    if (v == null || v.isEmpty()) {
      return false;
    }
    char c = v.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }
}
