package io.valuetier.decide.dmn;

import java.util.List;

/**
 * One decision table of a model as analysts see it: its decision, hit policy, input and output columns and rule rows
 * (numbered from 1, with the rule's id and the reason written in its annotation).
 */
public record DecisionTableInfo(
    String file,
    String decision,
    String tableId,
    String hitPolicy,
    List<String> inputs,
    List<String> outputs,
    List<Row> rows) {

  /** One rule row: its number (1-based), id, reason annotation and the text of its input and output cells. */
  public record Row(int number, String id, String annotation, List<String> when, List<String> then) {}

  /** The conditions of a row in words: {@code Tenure Days >= 90, Value Percentile [80..95)}; "-" cells left out. */
  public String conditions(Row row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.when().size() && i < inputs.size(); i++) {
      String cell = row.when().get(i).strip();
      if (cell.isEmpty() || cell.equals("-")) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(inputs.get(i)).append(' ').append(cell.matches("^[<>=\\[(\\]].*") ? cell : "= " + cell);
    }
    return sb.isEmpty() ? "any input" : sb.toString();
  }

  /** The row with this number (1-based). */
  public Row row(int number) {
    return number >= 1 && number <= rows.size() ? rows.get(number - 1) : new Row(number, "?", "(no such row)", List.of(), List.of());
  }
}
