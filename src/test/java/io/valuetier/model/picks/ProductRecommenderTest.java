package io.valuetier.model.picks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The recommender on small hand-made shops: what it must never pick (recently bought, returned), what a cold-start
 * customer gets (the popular products), and the reason it gives in words.
 */
class ProductRecommenderTest {
  private static final int DAY = 20_000;
  private static final PicksSettings SETTINGS = new PicksSettings(true, 5, 40, 50, 1, 90, 90);

  /**
   * A shop where TEA and CUP sell together (20 customers), SAUCER goes with TEA for 10, and CAKE is the most bought
   * product on its own (40 customers). Customer "me" bought TEA 200 days ago.
   */
  private static PurchaseLog.Builder shop() {
    PurchaseLog.Builder b = PurchaseLog.builder();
    for (int i = 0; i < 20; i++) {
      b.add("pair" + i, "TEA", "Tea", DAY - 10, false);
      b.add("pair" + i, "CUP", "Cup", DAY - 10, false);
    }
    for (int i = 0; i < 10; i++) {
      b.add("saucer" + i, "TEA", "Tea", DAY - 5, false);
      b.add("saucer" + i, "SAUCER", "Saucer", DAY - 5, false);
    }
    for (int i = 0; i < 40; i++) {
      b.add("cake" + i, "CAKE", "Cake", DAY - 3, false);
    }
    b.add("me", "TEA", "Tea", DAY - 200, false);
    return b;
  }

  private static List<String> codes(List<ProductPick> picks) {
    return picks.stream().map(ProductPick::productId).toList();
  }

  @Test
  void productsBoughtTogetherComeFirstWithTheirReasonInWords() {
    PurchaseLog log = shop().build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    List<ProductPick> picks = r.recommend(log, log.indexOfCustomer("me"), 3);
    assertEquals(List.of("CUP", "SAUCER", "CAKE"), codes(picks));
    assertEquals("bought together with Tea by 20 customers", picks.get(0).reason());
    assertEquals("popular: bought by 40 customers in the last 90 days", picks.get(2).reason());
    assertTrue(picks.get(0).score() > picks.get(1).score());
  }

  @Test
  void aProductBoughtWithinTheRecentWindowIsNeverRecommended() {
    PurchaseLog.Builder b = shop();
    b.add("me", "CUP", "Cup", DAY - 30, false); // bought 30 days before the cutoff: within 90
    b.add("me", "CAKE", "Cake", DAY - 89, false);
    PurchaseLog log = b.build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    List<String> picks = codes(r.recommend(log, log.indexOfCustomer("me"), 5));
    assertFalse(picks.contains("CUP"), picks.toString());
    assertFalse(picks.contains("CAKE"), picks.toString());
    assertTrue(picks.contains("SAUCER"), picks.toString());
    assertFalse(codes(r.popularFor(log, log.indexOfCustomer("me"), 5)).contains("CAKE"), "nor by the baseline");
  }

  @Test
  void aProductBoughtLongAgoMayBeRecommendedAgain() {
    PurchaseLog.Builder b = shop();
    b.add("me", "CAKE", "Cake", DAY - 91, false);
    PurchaseLog log = b.build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    assertTrue(codes(r.recommend(log, log.indexOfCustomer("me"), 5)).contains("CAKE"));
  }

  @Test
  void aReturnedProductIsNeverRecommendedHoweverLongAgo() {
    PurchaseLog.Builder b = shop();
    b.add("me", "CUP", "Cup", DAY - 400, false);
    b.add("me", "CUP", null, DAY - 390, true);
    b.add("me", "SAUCER", null, DAY - 300, true); // a return without its purchase in the log
    PurchaseLog log = b.build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    List<String> picks = codes(r.recommend(log, log.indexOfCustomer("me"), 5));
    assertFalse(picks.contains("CUP"), picks.toString());
    assertFalse(picks.contains("SAUCER"), picks.toString());
    assertEquals("Cup", log.description(log.indexOfProductForTest("CUP")), "a return does not rename the product");
  }

  @Test
  void aColdStartCustomerGetsThePopularProductsInOrder() {
    PurchaseLog log = shop().build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    List<ProductPick> picks = r.recommend(log, -1, 3);
    assertEquals(List.of("CAKE", "TEA", "CUP"), codes(picks));
    assertTrue(picks.stream().allMatch(p -> p.reason().startsWith("popular: bought by ")));
    assertEquals(1.0, picks.getFirst().score());
  }

  @Test
  void everyRandomCustomerIsSpareOfRecentAndReturnedProducts() {
    SplittableRandom rnd = new SplittableRandom(18);
    PurchaseLog.Builder b = PurchaseLog.builder();
    for (int i = 0; i < 3000; i++) {
      int c = rnd.nextInt(300);
      int p = (int) Math.floor(Math.pow(rnd.nextDouble(), 2) * 120);
      b.add("c" + c, "P" + p, "product " + p, DAY - rnd.nextInt(400), rnd.nextInt(15) == 0);
    }
    PurchaseLog log = b.build();
    ProductRecommender r = new RecommenderTrainer(SETTINGS).train(log, DAY);
    int checked = 0;
    for (int c = 0; c < log.customers(); c++) {
      List<String> picks = codes(r.recommend(log, c, 5));
      assertEquals(5, picks.size());
      assertEquals(5, picks.stream().distinct().count(), picks.toString());
      for (int i = log.from(c); i < log.to(c); i++) {
        String code = log.productId(log.product(i));
        if (log.returned(i) || log.lastDay(i) > DAY - 90) {
          assertFalse(picks.contains(code), log.customerId(c) + " got " + code + " back");
          checked++;
        }
      }
    }
    assertTrue(checked > 500, "checked " + checked);
  }

  @Test
  void theLogKeepsOnePairPerCustomerAndProductWhateverTheBufferSize() {
    PurchaseLog.Builder b = PurchaseLog.builder();
    for (int i = 0; i < 200_000; i++) {
      b.add("c" + (i % 1000), "P" + (i % 7), null, DAY - (i % 50), false);
    }
    PurchaseLog log = b.build();
    assertEquals(1000, log.customers());
    assertEquals(7000, log.pairs());
    int c = log.indexOfCustomer("c3");
    for (int i = log.from(c); i < log.to(c); i++) {
      assertTrue(log.lastDay(i) >= DAY - 49 && log.lastDay(i) <= DAY);
    }
  }
}
