package io.valuetier.decide.rules;

import java.util.Locale;

/**
 * One finding about a rule file, in words: where (file, decision, rule row, column) and what to do.
 *
 * @param row 1-based rule row, or 0 when the finding is not about one row
 */
public record ValidationMessage(
    Severity severity, String file, String decision, int row, String column, String text) {

  /** How bad a finding is: errors refuse a rule set, warnings and notes are shown. */
  public enum Severity {
    ERROR,
    WARNING,
    INFO
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The message as one line: {@code dmn/x.dmn: decision 'Value Tier', rule 3, column 'Tenure Days': ...}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(severity.name().toLowerCase(Locale.ROOT)).append(": ").append(file == null ? "?" : file);
    String sep = ": ";
    if (decision != null) {
      sb.append(sep).append("decision '").append(decision).append('\'');
      sep = ", ";
    }
    if (row > 0) {
      sb.append(sep).append("rule ").append(row);
      sep = ", ";
    }
    if (column != null) {
      sb.append(sep).append("column '").append(column).append('\'');
    }
    return sb.append(": ").append(text).toString();
  }
}
