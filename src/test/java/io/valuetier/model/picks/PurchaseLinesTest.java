package io.valuetier.model.picks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order lines the main job keeps for the picks while it reads the store: the logs made from them (every line, and
 * the days before and after an evaluation's cutoff) hold the same customers, pairs, last purchase days and return
 * marks as a {@link PurchaseLog.Builder} fed the same lines with the same days, on seeded random shops with repeated
 * lines, returns and lines that fall outside the days.
 */
class PurchaseLinesTest {
  private record Line(String customer, String product, String description, int day, boolean isReturn) {}

  private static List<Line> shop(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String customer = "C" + r.nextInt(300);
      String product = "P" + (int) Math.sqrt(r.nextInt(40_000)); // a long tail: low codes are bought most
      int day = 15_000 + r.nextInt(700);
      boolean isReturn = r.nextInt(20) == 0;
      lines.add(new Line(customer, product, r.nextInt(5) == 0 ? " " : "desc " + product, day, isReturn));
      if (r.nextInt(10) == 0) {
        lines.add(lines.getLast()); // the same line again
      }
    }
    lines.add(new Line(null, "P1", "no customer", 15_100, false));
    lines.add(new Line("C1", null, "no product", 15_100, false));
    return lines;
  }

  private static PurchaseLog builder(List<Line> lines, int from, int to) {
    PurchaseLog.Builder b = PurchaseLog.builder(from, to);
    lines.forEach(l -> b.add(l.customer(), l.product(), l.description(), l.day(), l.isReturn()));
    return b.build();
  }

  private static PurchaseLines lines(List<Line> lines) {
    PurchaseLines kept = new PurchaseLines();
    lines.forEach(l -> kept.add(l.customer(), l.product(), l.description(), l.day(), l.isReturn()));
    return kept;
  }

  /** The log's content by customer and product code: day of last purchase and return mark per pair. */
  private static List<String> content(PurchaseLog log) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < log.customers(); c++) {
      for (int i = log.from(c); i < log.to(c); i++) {
        out.add(log.customerId(c) + "/" + log.productId(log.product(i)) + "@" + log.lastDay(i)
            + (log.returned(i) ? "R" : ""));
      }
    }
    out.sort(null);
    return out;
  }

  private static void assertSameLog(PurchaseLog expected, PurchaseLog actual) {
    assertEquals(expected.customers(), actual.customers(), "customers");
    assertEquals(expected.products(), actual.products(), "products");
    assertEquals(expected.pairs(), actual.pairs(), "pairs");
    assertEquals(expected.firstDay(), actual.firstDay(), "first day");
    assertEquals(expected.lastDay(), actual.lastDay(), "last day");
    assertEquals(content(expected), content(actual));
  }

  @Test
  void theLogOfEveryLineIsTheBuildersIncludingProductOrderAndDescriptions() {
    for (long seed = 1; seed <= 5; seed++) {
      List<Line> shop = shop(seed, 20_000);
      PurchaseLog expected = builder(shop, 0, PurchaseLog.MAX_DAY);
      PurchaseLog actual = lines(shop).log();
      assertSameLog(expected, actual);
      for (int p = 0; p < expected.products(); p++) {
        assertEquals(expected.productId(p), actual.productId(p), "product order");
        assertEquals(expected.description(p), actual.description(p), "description of " + expected.productId(p));
      }
    }
  }

  @Test
  void theLogsBeforeAndAfterACutoffAreTheBuildersOfThoseDays() {
    for (long seed = 11; seed <= 15; seed++) {
      List<Line> shop = shop(seed, 20_000);
      PurchaseLines kept = lines(shop);
      int cutoff = 15_000 + 400 + (int) seed;
      assertSameLog(builder(shop, 0, cutoff), kept.log(0, cutoff));
      assertSameLog(builder(shop, cutoff + 1, cutoff + 180), kept.log(cutoff + 1, cutoff + 180));
      // the days of the whole log are still all there after the split logs were made
      assertSameLog(builder(shop, 0, PurchaseLog.MAX_DAY), kept.log());
    }
  }

  @Test
  void aRepeatedLineIsKeptOnceAndADayWithoutLinesGivesAnEmptyLog() {
    PurchaseLines kept = new PurchaseLines();
    for (int i = 0; i < 100_000; i++) {
      kept.add("C", "P", "Tea", 15_000, false);
    }
    kept.add("C", "P", "Tea", 15_001, true);
    assertEquals(2, kept.entries());
    PurchaseLog log = kept.log();
    assertEquals(1, log.pairs());
    assertEquals(15_000, log.lastDay(0));
    assertEquals(true, log.returned(0));
    PurchaseLog none = kept.log(16_000, 17_000);
    assertEquals(0, none.customers());
    assertEquals(0, none.pairs());
    assertEquals(-1, none.lastDay());
  }

  @Test
  void moreProductsThanThePackedLayoutHoldsIsAClearError() {
    PurchaseLines kept = new PurchaseLines();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
      for (int p = 0; p <= PurchaseLog.MAX_PRODUCTS; p++) {
        kept.add("C", "P" + p, null, 15_000, false);
      }
    });
    assertEquals("the recommender keeps at most 16777216 customers and 2097152 products; this log has more",
        e.getMessage());
  }
}
