package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deciding one customer takes one connection at a time. Taking a second connection while holding the first (as
 * reading a customer's input once did for the contact count) deadlocks the pool under concurrent API requests: with a
 * pool of one connection the read would wait for the pool's timeout and fail.
 */
class OneConnectionTest {
  @TempDir Path work;

  @Test
  void readingOneCustomersInputNeedsOneConnection() {
    try (Store store = Store.open(TestStores.h2Url(work), null, null, 1)) {
      SyntheticPopulation.write(store, 20, 3);
      String id = store.queryString("SELECT MIN(customer_id) FROM scores");
      long t0 = System.nanoTime();
      Optional<DecisionInput> in = new DecisionInputs(store).readInput(id, Instant.now().minusSeconds(86_400));
      assertTrue(in.isPresent());
      assertEquals(id, in.get().customerId());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no wait for a second connection");
    }
  }

  @Test
  void oneCustomersInputComesWithTheirContactsAndPicksOnTheSameConnection() {
    try (Store store = Store.open(TestStores.h2Url(work), null, null, 1)) {
      SyntheticPopulation.write(store, 20, 3);
      String own = store.queryString("SELECT MIN(customer_id) FROM scores");
      String none = store.queryString("SELECT MAX(customer_id) FROM scores");
      Instant now = Instant.now();
      // two contacts delivered inside the window, one before it, one never delivered, one of another customer
      Object[][] contacts = {
          {1L, own, now.minusSeconds(3_600)}, {2L, own, now.minusSeconds(7_200)}, {3L, own, now.minusSeconds(10 * 86_400)},
          {4L, own, null}, {5L, none, now.minusSeconds(60)}};
      for (Object[] k : contacts) {
        store.execute("INSERT INTO contact_log (decision_id, customer_id, action_code, channel, contacted_at,"
            + " delivered_at) VALUES (?,?,'NEWSLETTER','EMAIL',?,?)", k[0], k[1],
            Timestamp.from(now.minusSeconds(20 * 86_400)),
            k[2] == null ? null : Timestamp.from((Instant) k[2]));
      }
      // the customer's own picks and the popular products of anyone else, best first
      List<ProductPick> ownPicks = new ArrayList<>();
      List<ProductPick> popular = new ArrayList<>();
      for (int rank = 1; rank <= 4; rank++) {
        ownPicks.add(new ProductPick("P" + rank, "product " + rank, 1.0 / rank, "bought with X", null));
        popular.add(new ProductPick("TOP" + rank, "top " + rank, 10.0 - rank, "popular", null));
      }
      store.execute("INSERT INTO customer_picks (customer_id, pick_count, picks) VALUES (?,4,?), ('',4,?)", own,
          ProductPick.toJson(ownPicks), ProductPick.toJson(popular));
      store.execute("UPDATE scores SET predicted_spend_low = 12.50, predicted_spend_high = 980.00 WHERE customer_id = ?",
          own);
      Instant since = now.minusSeconds(86_400);
      DecisionInputs inputs = new DecisionInputs(store);
      DecisionInputs.Known k = inputs.readInput(own, since, 3).orElseThrow();
      assertEquals(own, k.input().customerId());
      assertEquals(2, k.input().recentContacts());
      assertEquals(new BigDecimal("12.50"), k.input().predictedSpendLow());
      assertEquals(new BigDecimal("980.00"), k.input().predictedSpendHigh());
      assertEquals(List.of("P1", "P2", "P3"),
          k.picks().stream().map(ProductPick::productId).toList());
      DecisionInputs.Known other = inputs.readInput(none, since, 2).orElseThrow();
      assertEquals(1, other.input().recentContacts());
      assertEquals(null, other.input().predictedSpendLow(), "a score without an interval");
      assertEquals(List.of("TOP1", "TOP2"),
          other.picks().stream().map(ProductPick::productId).toList());
      // a stored row that is not a list of picks: the error names the table and the customer
      store.execute("UPDATE customer_picks SET picks = '{\"product_id\":' WHERE customer_id = ?", own);
      StoreException bad = assertThrows(StoreException.class, () -> inputs.readInput(own, since, 3));
      assertTrue(bad.getMessage().contains("customer_picks, customer_id '" + own + "'")
          && bad.getMessage().contains("not a list of product picks"), bad.getMessage());
      // without picks asked for, none are read; the contact count is the same as the batch's count
      assertEquals(List.of(), inputs.readInput(own, since, 0).orElseThrow().picks());
      assertEquals(inputs.recentContacts(since).get(own), k.input().recentContacts());
      assertTrue(inputs.readInput("nobody", since, 3).isEmpty());
    }
  }
}
