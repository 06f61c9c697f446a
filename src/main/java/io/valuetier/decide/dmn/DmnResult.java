package io.valuetier.decide.dmn;

import java.math.BigDecimal;

/**
 * The outputs of the tiering model for one customer and the rule rows that produced them.
 *
 * @param matchedRows selected rows, each encoded as {@code tableIndex << 16 | row} (row 1-based, tables in document
 *     order); see {@link TieringModel#describeRows(int[])}
 * @param products how many of the customer's product picks the action carries (the Marketing Action's optional
 *     "Products" column; 0 when the model has none)
 */
public record DmnResult(
    String valueTier,
    String actionCode,
    String channel,
    String offer,
    Integer priority,
    BigDecimal offerCost,
    String serviceLevel,
    int[] matchedRows,
    int products) {

  /** An outcome without products (a model without the "Products" column). */
  public DmnResult(
      String valueTier, String actionCode, String channel, String offer, Integer priority, BigDecimal offerCost,
      String serviceLevel, int[] matchedRows) {
    this(valueTier, actionCode, channel, offer, priority, offerCost, serviceLevel, matchedRows, 0);
  }

  /** The table index of an encoded matched row. */
  public static int table(int encoded) {
    return encoded >>> 16;
  }

  /** The 1-based row number of an encoded matched row. */
  public static int row(int encoded) {
    return encoded & 0xFFFF;
  }
}
