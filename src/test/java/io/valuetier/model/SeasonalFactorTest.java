package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureSpec;
import io.valuetier.features.FeatureTable;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The totals forecast on shops whose next window's spending is known by construction. */
class SeasonalFactorTest {
  private static final int H = 184;
  private static final int FIRST = (int) LocalDate.of(2020, 1, 1).toEpochDay();

  /**
   * {@code customers} who each buy every 5 days (one in five on each day) for {@code days} days, spending
   * {@code high} per purchase from January to June and {@code low} from July to December; the first {@code stop}
   * of them stop buying after day {@code stopAfter} (days from the start).
   */
  private static CustomerLog shop(int customers, int days, double high, double low, int stop, int stopAfter) {
    CustomerLog.Builder b = CustomerLog.builder();
    for (int c = 0; c < customers; c++) {
      for (int d = c % 5; d < days; d += 5) {
        if (c < stop && d > stopAfter) {
          break;
        }
        int day = FIRST + d;
        double amount = LocalDate.ofEpochDay(day).getMonthValue() <= 6 ? high : low;
        b.add("c" + c, day, amount, 1, "p", "GB");
      }
    }
    return b.build();
  }

  private static FeatureTable at(CustomerLog log, LocalDate cutoff) {
    int c = (int) cutoff.toEpochDay();
    return FeatureTable.at(log.upTo(c), c, new FeatureBuilder(new FeatureSpec(90, "GB")));
  }

  /** What the customers of {@code log} spent in the {@code H} days after {@code cutoff}. */
  private static double spentAfter(CustomerLog log, LocalDate cutoff) {
    int c = (int) cutoff.toEpochDay();
    double total = 0;
    for (int r = 0; r < log.records(); r++) {
      if (log.day(r) > c && log.day(r) <= c + H) {
        total += log.gross(r) - log.returned(r);
      }
    }
    return total;
  }

  @Test
  void aLoyalCustomerBaseWithAYearlySeasonIsForecastAtWhatItThenSpends() {
    CustomerLog log = shop(500, 3 * 365, 20, 10, 0, 0);
    LocalDate cutoff = LocalDate.of(2021, 6, 30); // the last window high season, the next one low
    FeatureTable table = at(log, cutoff);
    double predicted = 1_000; // a model that knows nothing of the season
    SeasonalFactor f = SeasonalFactor.of(table, H, 4, 30, row -> predicted, 1);
    double truth = spentAfter(log, cutoff);
    assertEquals(truth, f.forecast(), 0.03 * truth, f.basis());
    assertEquals(f.forecast() / (predicted * table.size()), f.factor(), 1e-9);
    assertTrue(f.factor() < 1, f.basis()); // spending halves, and the model's 1,000 each is above it
  }

  @Test
  void newCustomersWhoBuyOnceAreLeftOutOfTheForecastOfTheCustomersScored() {
    // 500 loyal customers, and every day two new customers who buy once and never again: the scored customers'
    // next window holds only the loyal ones' spending, although a third of every window's spending is new
    CustomerLog.Builder b = CustomerLog.builder();
    CustomerLog loyal = shop(500, 3 * 365, 20, 20, 0, 0);
    for (int c = 0; c < loyal.size(); c++) {
      for (int r = loyal.from(c); r < loyal.to(c); r++) {
        b.add(loyal.id(c), loyal.day(r), loyal.gross(r), 1, "p", "GB");
      }
    }
    for (int d = 0; d < 3 * 365; d++) {
      b.add("once-" + d + "-a", FIRST + d, 500, 1, "p", "GB");
      b.add("once-" + d + "-b", FIRST + d, 500, 1, "p", "GB");
    }
    LocalDate cutoff = LocalDate.of(2021, 12, 31);
    SeasonalFactor f = SeasonalFactor.of(at(b.build(), cutoff), H, 4, 30, row -> 1_000, 1);
    double truth = spentAfter(loyal, cutoff);
    assertEquals(truth, f.forecast(), 0.03 * truth, f.basis());
  }

  @Test
  void withoutTheWindowAYearEarlierThereIsNoForecastAndTheModelKeepsItsTotal() {
    CustomerLog log = shop(100, 300, 20, 10, 0, 0);
    SeasonalFactor f = SeasonalFactor.of(at(log, LocalDate.ofEpochDay(FIRST + 299L)), H, 4, 30, row -> 1_000, 1);
    assertEquals(1, f.factor());
    assertTrue(Double.isNaN(f.forecast()));
    assertTrue(f.basis().contains("a year earlier"), f.basis());
  }

  @Test
  void withoutAForecastABlendedModelIsBroughtToTheTotalOfTheModelWithoutTheBlend() {
    CustomerLog log = shop(100, 300, 20, 10, 0, 0);
    FeatureTable table = at(log, LocalDate.ofEpochDay(FIRST + 299L));
    SeasonalFactor.Forecast forecast = SeasonalFactor.forecast(table, H, 4, 30, 1);
    SeasonalFactor f = forecast.factor(row -> 1_000, row -> 800);
    assertEquals(0.8, f.factor(), 1e-9, f.basis());
    assertEquals(800.0 * table.size(), f.forecast(), 1e-6);
    assertTrue(f.basis().contains("without the naive blend") && f.basis().contains("a year earlier"), f.basis());
    // without the unblended model there is nothing to bring it to
    assertEquals(1, forecast.factor(row -> 1_000, null).factor());
  }

  @Test
  void withAForecastTheForecastSetsTheTotalWhateverTheUnblendedModelPredicts() {
    CustomerLog log = shop(500, 3 * 365, 20, 10, 0, 0);
    SeasonalFactor.Forecast forecast = SeasonalFactor.forecast(at(log, LocalDate.of(2021, 6, 30)), H, 4, 30, 1);
    assertEquals(forecast.factor(row -> 1_000).factor(), forecast.factor(row -> 1_000, row -> 1).factor(), 1e-12);
  }

  @Test
  void aForecastFarFromTheModelMovesItByAtMostFourTimes() {
    CustomerLog log = shop(100, 3 * 365, 20, 20, 0, 0);
    FeatureTable table = at(log, LocalDate.of(2021, 12, 31));
    assertEquals(0.25, SeasonalFactor.of(table, H, 4, 30, row -> 1e9, 1).factor());
    assertEquals(4, SeasonalFactor.of(table, H, 4, 30, row -> 1e-3, 1).factor());
  }
}
