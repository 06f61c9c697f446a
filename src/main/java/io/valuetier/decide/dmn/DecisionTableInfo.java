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

  /** One rule row: its number (1-based), id and reason annotation. */
  public record Row(int number, String id, String annotation) {}

  /** The row with this number (1-based). */
  public Row row(int number) {
    return number >= 1 && number <= rows.size() ? rows.get(number - 1) : new Row(number, "?", "(no such row)");
  }
}
