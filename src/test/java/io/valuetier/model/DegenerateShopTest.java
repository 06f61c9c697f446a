package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small shops whose training windows hold only one class of "bought again": training must not end in Smile's bare
 * {@code IllegalArgumentException: Only one class}.
 */
class DegenerateShopTest {
  static final LocalDate START = LocalDate.of(2024, 1, 1);
  static final LocalDate CUTOFF = LocalDate.of(2024, 12, 31);

  /**
   * Every customer buys every {@code everyDays} days through the year; with 0, each buys twice in the first two months
   * and never again (so no training window after 90 days of history holds a purchase); with -1, each buys once.
   */
  static CustomerLog shop(int customers, int everyDays) {
    CustomerLog.Builder b = CustomerLog.builder();
    int first = (int) START.toEpochDay();
    int last = (int) CUTOFF.toEpochDay();
    for (int c = 0; c < customers; c++) {
      int day = first + (c * 7) % 330;
      if (everyDays == 0) {
        b.add("C" + c, first + c % 50, 20 + c % 13, 1, "P" + c % 5, "DE");
        b.add("C" + c, first + c % 50 + 3, 25 + c % 7, 1, "P" + c % 5, "DE");
        continue;
      }
      if (everyDays < 0) {
        b.add("C" + c, day, 20 + c % 13, 1, "P" + c % 5, "DE");
        continue;
      }
      for (int d = first + c % 5; d <= last; d += everyDays) {
        b.add("C" + c, d, 20 + (c + d) % 13, 1, "P" + c % 5, "DE");
      }
    }
    return b.build();
  }

  @Test
  void aShopWhereEveryCustomerBoughtAgainTrainsAFallbackWithANotice() {
    Trainer.Result r = new Trainer(ModelSettings.from(TestData.settings())).train(shop(60, 9), CUTOFF);
    assertFalse(r.notices().isEmpty());
    assertTrue(r.notices().getFirst().contains("every"), r.notices().toString());
    assertFalse(r.champion().equals("gbt") || r.champion().equals("mlp"), r.champion());
    assertTrue(r.candidates().stream().noneMatch(c -> OneClass.NEEDS_BOTH.contains(c.algorithm())));
  }

  @Test
  void aShopWhereNoCustomerBoughtAgainTrainsAFallbackWithANotice() {
    Trainer.Result r = new Trainer(ModelSettings.from(TestData.settings())).train(shop(300, 0), CUTOFF);
    assertFalse(r.notices().isEmpty());
    assertTrue(r.notices().getFirst().contains("no customer bought again"), r.notices().toString());
    assertTrue(r.candidates().stream().noneMatch(c -> OneClass.NEEDS_BOTH.contains(c.algorithm())));
  }

  @Test
  void aShopWithOnlyTheLearnedModelsConfiguredGetsAMessageNamingTheSettingToChange() {
    Trainer trainer = new Trainer(ModelSettings.from(TestData.settings(Map.of("valuetier.model.algorithms", "gbt"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(shop(300, 0), CUTOFF));
    assertTrue(e.getMessage().contains("valuetier.model.algorithms"), e.getMessage());
    assertFalse(e.getMessage().contains("Only one class"), e.getMessage());
  }

  @Test
  void aShopWhereNobodyEverCameBackGetsAMessageSayingWhatTheModelsNeed() {
    Trainer trainer = new Trainer(ModelSettings.from(TestData.settings()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(shop(300, -1), CUTOFF));
    assertTrue(e.getMessage().contains("repeat purchases") && e.getMessage().contains("2024-"), e.getMessage());
  }
}
