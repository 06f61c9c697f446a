package io.valuetier.records;

/** Why a record was rejected. Every rejected record is stored with one of these codes and a message in words. */
public enum RejectReason {
  EMPTY_LINE("the line is empty"),
  BAD_JSON("the event is not a JSON object of the canonical fields"),
  BAD_QUOTING("a quoted field is not closed, or text follows a closing quote (RFC 4180)"),
  RECORD_TOO_LONG("the record is longer than valuetier.ingest.max-record-bytes"),
  BAD_ENCODING("the line holds bytes that are not valid UTF-8"),
  WRONG_COLUMN_COUNT("the line has more or fewer columns than the header"),
  MISSING_CUSTOMER_ID("no customer id"),
  FIELD_TOO_LONG("a field is longer than the store keeps"),
  BAD_DATE("the date cannot be read"),
  FUTURE_DATE("the date lies in the future"),
  BAD_QUANTITY("the quantity is not a number, or zero"),
  ABSURD_QUANTITY("the quantity is beyond the configured maximum"),
  BAD_PRICE("the price is not a number"),
  NEGATIVE_PRICE("the price is negative"),
  ZERO_PRICE("the price is zero"),
  ABSURD_PRICE("the price is beyond the configured maximum"),
  BAD_CURRENCY("the currency is not a three-letter ISO 4217 code"),
  BAD_FLAG("a yes/no field holds something else"),
  BAD_NUMBER("a number field holds something else"),
  MISSING_DECISION_ID("an outcome without a decision id"),
  MISSING_PRODUCT_ID("a catalogue line without a product code"),
  UNKNOWN_DECISION("an outcome for a decision id the store does not hold"),
  CUSTOMER_MISMATCH("an outcome whose customer is not the customer of its decision"),
  DUPLICATE("an exact copy of an earlier line of the same source"),
  ERASED("a row of a customer erased on request (valuetier customers forget): not taken in, the line not kept");

  private final String meaning;

  RejectReason(String meaning) {
    this.meaning = meaning;
  }

  /** The reason in words, for reports and the README. */
  public String meaning() {
    return meaning;
  }
}
