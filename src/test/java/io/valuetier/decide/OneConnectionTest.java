package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.time.Instant;
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
}
