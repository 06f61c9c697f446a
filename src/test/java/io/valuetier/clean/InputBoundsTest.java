package io.valuetier.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.records.TransactionDraft;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers, dates and ids beyond fixed bounds are rejected fast, with short messages, by every cleaner. */
class InputBoundsTest {
  private static final CleaningRules RULES =
      new CleaningRules(
          new BigDecimal("1000000"), new BigDecimal("1000000"), new BigDecimal("10000"), new BigDecimal("10000"),
          LocalDateTime.of(2026, 1, 1, 0, 0), LocalDateTime.of(1990, 1, 1, 0, 0), "GBP");
  private static final String MANY_DIGITS = "1234567890".repeat(4); // 40 characters, 40 significant digits

  private static TransactionDraft draft(String qty, String price) {
    TransactionDraft d = new TransactionDraft();
    d.orderId = "536365";
    d.customerId = "17850";
    d.date = "2010-12-01 08:26:00";
    d.quantity = qty;
    d.unitPrice = price;
    return d;
  }

  private static Rejection rejected(TransactionDraft d, TransactionCleaner cleaner) {
    TransactionCleaner.Result r =
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> cleaner.clean(3, d, () -> "the line"));
    assertNull(r.accepted(), "expected a rejection");
    return r.rejected();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "9E+2147483647", "1e-999999999", "-1E31", "NaN", "Infinity", "-Infinity",
      "1234567890123456789012345678901234567890", "1,5", "0x10", "1e", "--1"})
  void aQuantityThatIsNotABoundedNumberIsBadWithAShortMessage(String qty) {
    Rejection r = rejected(draft(qty, "1.00"), new TransactionCleaner(RULES, true, true));
    assertEquals(RejectReason.BAD_QUANTITY, r.reason());
    assertTrue(r.message().length() <= 200, r.message());
    assertTrue(r.message().startsWith("quantity '"), r.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "9E+2147483647", "NaN", "1234567890123456789012345678901"})
  void aPriceThatIsNotABoundedNumberIsBadOnTheSingleRecordPathToo(String price) {
    Rejection r = rejected(draft("1", price), TransactionCleaner.forSingleRecords(RULES));
    assertEquals(RejectReason.BAD_PRICE, r.reason());
    assertTrue(r.message().length() <= 200, r.message());
  }

  @Test
  void aLargeButBoundedExponentIsStillReadAndJudgedAgainstTheMaximum() {
    Rejection r = rejected(draft("1e20", "1.00"), new TransactionCleaner(RULES, true, true));
    assertEquals(RejectReason.ABSURD_QUANTITY, r.reason());
    TransactionCleaner.Result ok = new TransactionCleaner(RULES, true, true).clean(3, draft("2E+1", "1.5e0"), () -> "");
    assertEquals(0, new BigDecimal("30").compareTo(ok.accepted().amount()));
  }

  @Test
  void aMessageQuotesAtMost64CharactersOfTheValueAndSaysHowLongItWas() {
    String qty = "x".repeat(100_000);
    Rejection r = rejected(draft(qty, "1.00"), new TransactionCleaner(RULES, true, true));
    assertTrue(r.message().contains("'" + "x".repeat(64) + "… (100000 chars)'"), r.message());
    assertTrue(r.message().length() <= 200, r.message());
  }

  @Test
  void aDateLongerThanAnyNotationIsNotReadable() {
    TransactionDraft d = draft("1", "1.00");
    d.date = "2010-12-01 08:26:00" + " ".repeat(10) + "9".repeat(1_000_000);
    Rejection r = rejected(d, new TransactionCleaner(RULES, true, true));
    assertEquals(RejectReason.BAD_DATE, r.reason());
    assertTrue(r.message().length() <= 200, r.message());
  }

  @Test
  void aCustomerIdLongerThanTheStoreKeepsIsRejectedNotSentToTheDatabase() {
    TransactionDraft d = draft("1", "1.00");
    d.customerId = "c".repeat(65);
    Rejection r = rejected(d, TransactionCleaner.forSingleRecords(RULES));
    assertEquals(RejectReason.FIELD_TOO_LONG, r.reason());
    assertEquals("customer_id", r.column());
  }

  @Test
  void aRejectionKeepsAtMostAFewKilobytesOfTheInputWithAVisibleNote() {
    Rejection r =
        new Rejection(1, RejectReason.BAD_QUANTITY, "quantity", "9".repeat(1_234_567), "m".repeat(5000),
            "a".repeat(1_234_567));
    assertEquals(256 + "… [truncated, 1234567 chars]".length(), r.value().length());
    assertTrue(r.value().endsWith("… [truncated, 1234567 chars]"), r.value());
    assertTrue(r.originalText().length() <= 4096 + 40);
    assertTrue(r.originalText().endsWith("… [truncated, 1234567 chars]"));
    assertTrue(r.message().length() <= 1024, "the message column holds 1024");
  }

  @Test
  void customerFactsWithAHugeNumberOrAnOverlongIdAreRejectedWithShortMessages() {
    CustomerFactsCleaner c =
        new CustomerFactsCleaner("facts.csv", new String[] {"customer_id", "open_complaints", "signup_date"},
            LocalDateTime.of(2026, 1, 1, 0, 0));
    Rejection huge = c.clean(2, new String[] {"1", "1e999999999", ""}, () -> "").rejected();
    assertEquals(RejectReason.BAD_NUMBER, huge.reason());
    assertTrue(huge.message().length() <= 200, huge.message());
    Rejection digits = c.clean(3, new String[] {"2", MANY_DIGITS.repeat(1000), ""}, () -> "").rejected();
    assertEquals(RejectReason.BAD_NUMBER, digits.reason());
    assertTrue(digits.message().length() <= 200, digits.message());
    Rejection longId = c.clean(4, new String[] {"z".repeat(65), "0", ""}, () -> "").rejected();
    assertEquals(RejectReason.FIELD_TOO_LONG, longId.reason());
    Rejection date = c.clean(5, new String[] {"3", "0", "2".repeat(100_000)}, () -> "").rejected();
    assertEquals(RejectReason.BAD_DATE, date.reason());
    assertTrue(date.message().length() <= 200, date.message());
  }

  @Test
  void anOutcomeWithAHugeRevenueOrAnOverlongCustomerIsRejectedWithShortMessages() {
    OutcomeCleaner c =
        new OutcomeCleaner("outcomes.csv", new String[] {"decision_id", "customer_id", "responded", "revenue"},
            LocalDateTime.of(2026, 1, 1, 0, 0));
    for (String revenue : new String[] {"1e999999999", "9E+2147483647", MANY_DIGITS, "NaN"}) {
      Rejection r = c.clean(2, new String[] {"5", "c1", "yes", revenue}, () -> "").rejected();
      assertEquals(RejectReason.BAD_NUMBER, r.reason(), revenue);
      assertEquals("revenue", r.column());
      assertTrue(r.message().length() <= 200, r.message());
    }
    Rejection longId = c.clean(3, new String[] {"6", "c".repeat(65), "yes", "1"}, () -> "").rejected();
    assertEquals(RejectReason.FIELD_TOO_LONG, longId.reason());
    Rejection id = c.clean(4, new String[] {"9".repeat(100_000), "c1", "yes", "1"}, () -> "").rejected();
    assertEquals(RejectReason.BAD_NUMBER, id.reason());
    assertTrue(id.message().length() <= 200, id.message());
  }
}
