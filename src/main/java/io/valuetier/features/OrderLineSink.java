package io.valuetier.features;

/**
 * Receives the order lines that a read of the transactions passes, beside the customer log it builds: so that another
 * stage (the product picks) needs no read of its own.
 */
@FunctionalInterface
public interface OrderLineSink {
  /**
   * One stored order line.
   *
   * @param day epoch day of the order
   * @param isReturn whether the line gives goods back (negative quantity)
   */
  void add(String customerId, String productId, String description, int day, boolean isReturn);
}
