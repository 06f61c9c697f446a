package io.valuetier.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.RejectReason;
import io.valuetier.records.Transaction;
import io.valuetier.records.TransactionDraft;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TransactionCleanerTest {
  private static final CleaningRules RULES =
      new CleaningRules(
          new BigDecimal("1000000"),
          new BigDecimal("1000000"),
          new BigDecimal("10000"),
          new BigDecimal("10000"),
          LocalDateTime.of(2026, 1, 1, 0, 0),
          LocalDateTime.of(1990, 1, 1, 0, 0),
          "GBP");

  private static TransactionDraft draft(String order, String customer, String date, String qty, String price) {
    TransactionDraft d = new TransactionDraft();
    d.orderId = order;
    d.customerId = customer;
    d.date = date;
    d.productId = "85123A";
    d.description = "WHITE HANGING HEART";
    d.quantity = qty;
    d.unitPrice = price;
    d.country = "United Kingdom";
    return d;
  }

  private static TransactionCleaner.Result clean(TransactionDraft d) {
    return new TransactionCleaner(RULES, true, true).clean(7, d, () -> "original text");
  }

  private static RejectReason reason(TransactionDraft d) {
    TransactionCleaner.Result r = clean(d);
    assertNull(r.accepted(), "expected a rejection");
    return r.rejected().reason();
  }

  @Test
  void aGoodLineIsAcceptedWithItsAmountAndTheDefaultCurrency() {
    Transaction t = clean(draft("536365", "17850", "2010-12-01 08:26:00", "6", "2.55")).accepted();
    assertNotNull(t);
    assertEquals(new BigDecimal("15.30"), t.amount());
    assertEquals("GBP", t.currency());
    assertEquals(LocalDateTime.of(2010, 12, 1, 8, 26), t.timestamp());
    assertFalse(t.isReturn());
    assertFalse(t.isOutlier());
  }

  @Test
  void aCancellationInvoiceIsKeptAsAReturnWithANegativeAmount() {
    Transaction t = clean(draft("C536379", "14527", "2010-12-01 09:41:00", "-1", "27.50")).accepted();
    assertTrue(t.isReturn());
    assertEquals(0, new BigDecimal("-27.50").compareTo(t.amount()));
  }

  @Test
  void aMissingCustomerIdIsRejected() {
    assertEquals(RejectReason.MISSING_CUSTOMER_ID, reason(draft("1", " ", "2010-12-01", "1", "1")));
    assertEquals(RejectReason.MISSING_CUSTOMER_ID, reason(draft("1", "NaN", "2010-12-01", "1", "1")));
  }

  @Test
  void unreadableAndImpossibleDatesAreRejectedAsBadDates() {
    assertEquals(RejectReason.BAD_DATE, reason(draft("1", "1", "yesterday", "1", "1")));
    assertEquals(RejectReason.BAD_DATE, reason(draft("1", "1", "2011-02-30 10:00:00", "1", "1")));
  }

  @Test
  void aDateAfterTheAllowedLatestIsAFutureDate() {
    assertEquals(RejectReason.FUTURE_DATE, reason(draft("1", "1", "2031-01-01 00:00:00", "1", "1")));
  }

  @Test
  void textZeroAndAbsurdQuantitiesAreRejected() {
    assertEquals(RejectReason.BAD_QUANTITY, reason(draft("1", "1", "2010-12-01", "six", "1")));
    assertEquals(RejectReason.BAD_QUANTITY, reason(draft("1", "1", "2010-12-01", "0", "1")));
    assertEquals(RejectReason.ABSURD_QUANTITY, reason(draft("1", "1", "2010-12-01", "5000000", "1")));
  }

  @Test
  void textNegativeZeroAndAbsurdPricesAreRejected() {
    assertEquals(RejectReason.BAD_PRICE, reason(draft("1", "1", "2010-12-01", "1", "1,50")));
    assertEquals(RejectReason.NEGATIVE_PRICE, reason(draft("1", "1", "2010-12-01", "1", "-11062.06")));
    assertEquals(RejectReason.ZERO_PRICE, reason(draft("1", "1", "2010-12-01", "1", "0.00")));
    assertEquals(RejectReason.ABSURD_PRICE, reason(draft("1", "1", "2010-12-01", "1", "2000000")));
  }

  @Test
  void aLineBeyondTheOutlierThresholdIsKeptAndFlagged() {
    Transaction t = clean(draft("581483", "16446", "2011-12-09 09:15:00", "80995", "2.08")).accepted();
    assertTrue(t.isOutlier());
  }

  @Test
  void aSecondIdenticalLineIsADuplicateWhenLinesCarryAnOrderId() {
    TransactionCleaner c = new TransactionCleaner(RULES, true, true);
    assertNotNull(c.clean(1, draft("1", "1", "2010-12-01", "1", "1"), () -> "").accepted());
    assertEquals(RejectReason.DUPLICATE, c.clean(2, draft("1", "1", "2010-12-01", "1", "1"), () -> "").rejected().reason());
  }

  @Test
  void identicalLinesWithoutOrderIdsStayTwoPurchasesWithDifferentKeys() {
    TransactionCleaner c = new TransactionCleaner(RULES, false, false);
    Transaction a = c.clean(1, draft(null, "1", "19970101", "1", "11.77"), () -> "").accepted();
    Transaction b = c.clean(2, draft(null, "1", "19970101", "1", "11.77"), () -> "").accepted();
    assertNotNull(a);
    assertNotNull(b);
    assertNotEquals(a.rowKey() + ":" + a.rowCheck(), b.rowKey() + ":" + b.rowCheck());
  }

  @Test
  void theSameLineGetsTheSameKeyInEveryRun() {
    Transaction a = clean(draft("536365", "17850", "2010-12-01 08:26:00", "6", "2.55")).accepted();
    Transaction b = clean(draft("536365", "17850", "2010-12-01 08:26:00", "6", "2.55")).accepted();
    assertEquals(a.rowKey(), b.rowKey());
    assertEquals(a.rowCheck(), b.rowCheck());
  }

  @Test
  void keysOfLaterMinutesSortAfterKeysOfEarlierMinutes() {
    Transaction early = clean(draft("1", "1", "2010-12-01 08:26:00", "1", "1")).accepted();
    Transaction late = clean(draft("1", "1", "2010-12-01 08:27:00", "1", "1")).accepted();
    assertTrue(early.rowKey() < late.rowKey());
  }

  @Test
  void aFloatFormattedCustomerIdIsReadAsAnInteger() {
    assertEquals("17850", TransactionCleaner.normaliseCustomerId("17850.0"));
    assertEquals("A17.5", TransactionCleaner.normaliseCustomerId(" A17.5 "));
  }

  @Test
  void aLineTotalWithoutUnitPriceGivesTheUnitPrice() {
    TransactionDraft d = draft(null, "00001", "19970101", "2", null);
    d.lineAmount = "29.33";
    Transaction t = new TransactionCleaner(RULES, false, false).clean(1, d, () -> "").accepted();
    assertEquals(0, new BigDecimal("29.33").compareTo(t.amount()));
    assertEquals(new BigDecimal("14.6650"), t.unitPrice());
  }
}
