package io.valuetier.records;

/**
 * The canonical fields of one transaction line as text, before cleaning. Every source (CSV layouts, a JDBC table,
 * JSON events) maps into this, so that one {@link io.valuetier.clean.TransactionCleaner} applies the same rules to all.
 */
public final class TransactionDraft {
  public String orderId;
  public String customerId;
  public String date;
  public String productId;
  public String description;
  public String quantity;
  /** Price of one unit; when absent, {@link #lineAmount} is given and the unit price is derived. */
  public String unitPrice;
  /** The line's total (CDNOW gives totals, not unit prices). */
  public String lineAmount;
  public String currency;
  public String country;
}
