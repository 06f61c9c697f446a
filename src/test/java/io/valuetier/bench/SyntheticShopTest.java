package io.valuetier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.valuetier.features.CustomerLog;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SyntheticShopTest {
  static final LocalDate START = LocalDate.of(2022, 1, 1);

  @Test
  void theSameSeedGivesTheSameShop() {
    assertEquals(
        SyntheticShop.generate(2_000, 42, START, 730, 610).fingerprint(),
        SyntheticShop.generate(2_000, 42, START, 730, 610).fingerprint());
  }

  @Test
  void anotherSeedGivesAnotherShop() {
    assertNotEquals(
        SyntheticShop.generate(2_000, 42, START, 730, 610).fingerprint(),
        SyntheticShop.generate(2_000, 43, START, 730, 610).fingerprint());
  }

  @Test
  void theShopBuysAndReturnsAsDocumented() {
    CustomerLog log = SyntheticShop.generate(20_000, 42, START, 730, 610);
    double purchaseDays = 0;
    double gross = 0;
    double returned = 0;
    for (int r = 0; r < log.records(); r++) {
      purchaseDays += log.gross(r) > 0 ? 1 : 0;
      gross += log.gross(r);
      returned += log.returned(r);
    }
    // E[spend per purchase day] = 4 x 12 = 48; about 1 purchase in 25 returned in part (60% on average)
    assertEquals(48, gross / purchaseDays, 3);
    assertEquals(0.04 * 0.6, returned / gross, 0.006);
    assertEquals(20_000, log.size());
    assertEquals(7.5, purchaseDays / log.size(), 1.5);
  }
}
