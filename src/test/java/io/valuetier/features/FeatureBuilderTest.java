package io.valuetier.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.CustomerFacts;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {
  static final int D0 = (int) LocalDate.of(2024, 1, 1).toEpochDay();
  static final int CUTOFF = D0 + 40;
  static final FeatureBuilder BUILDER = new FeatureBuilder(new FeatureSpec(90, "UK"));

  /** Three purchase days, a return, and a purchase after the cutoff. */
  static CustomerLog oneCustomer() {
    return CustomerLog.builder()
        .add("A", D0, 60, 2, "P1", "UK")
        .add("A", D0, 40, 1, "P2", "UK")
        .add("A", D0 + 10, 50, 1, "P1", "UK")
        .add("A", D0 + 30, 30, 3, "P3", "UK")
        .add("A", D0 + 31, -20, -1, "P3", "UK")
        .add("A", D0 + 100, 200, 1, "P4", "UK")
        .build();
  }

  static double[] features(CustomerLog log, int cutoff) {
    double[] f = new double[Feature.count()];
    assertTrue(BUILDER.compute(log, log.indexOf("A"), cutoff, f));
    return f;
  }

  @Test
  void recencyFrequencyAndTenureFollowTheirFormulas() {
    double[] f = features(oneCustomer(), CUTOFF);
    assertEquals(10, f[Feature.RECENCY_DAYS.ordinal()]);
    assertEquals(40, f[Feature.TENURE_DAYS.ordinal()]);
    assertEquals(3, f[Feature.FREQUENCY.ordinal()]);
    assertEquals(30, f[Feature.REPEAT_SPAN_DAYS.ordinal()]);
    assertEquals(30.0 / 40, f[Feature.RECENCY_RATIO.ordinal()], 1e-12);
    assertEquals(30.0 * 2 / 40, f[Feature.REPEAT_RATE_30D.ordinal()], 1e-12);
  }

  @Test
  void spendIsNetOfReturnsAndRepeatSpendLeavesOutTheFirstPurchase() {
    double[] f = features(oneCustomer(), CUTOFF);
    assertEquals(160, f[Feature.NET_SPEND_TOTAL.ordinal()], 1e-9);
    assertEquals(160.0 / 3, f[Feature.SPEND_MEAN.ordinal()], 1e-9);
    assertEquals(40, f[Feature.REPEAT_SPEND_MEAN.ordinal()], 1e-9);
    assertEquals(30.0 * 160 / 41, f[Feature.SPEND_RATE_30D.ordinal()], 1e-9);
    assertEquals(100, f[Feature.FIRST_SPEND.ordinal()], 1e-9);
    assertEquals(30, f[Feature.LAST_SPEND.ordinal()], 1e-9);
    assertEquals(100, f[Feature.MAX_SPEND.ordinal()], 1e-9);
    assertEquals(20.0 / 180, f[Feature.RETURNS_RATIO.ordinal()], 1e-12);
  }

  @Test
  void gapsBasketsAndProductsFollowTheirFormulas() {
    double[] f = features(oneCustomer(), CUTOFF);
    assertEquals(15, f[Feature.IPT_MEAN_DAYS.ordinal()], 1e-12);
    assertEquals(5.0 / 15, f[Feature.IPT_CV.ordinal()], 1e-12); // gaps 10 and 20
    assertEquals(10.0 / 15, f[Feature.OVERDUE_RATIO.ordinal()], 1e-12);
    assertEquals(7.0 / 3, f[Feature.BASKET_ITEMS.ordinal()], 1e-12);
    assertEquals(4.0 / 3, f[Feature.BASKET_LINES.ordinal()], 1e-12);
    assertEquals(180.0 / 7, f[Feature.MEAN_ITEM_PRICE.ordinal()], 1e-12);
    assertEquals(3, f[Feature.DISTINCT_PRODUCTS.ordinal()]);
    assertEquals(3.0 / 4, f[Feature.PRODUCT_NOVELTY.ordinal()], 1e-12);
  }

  @Test
  void recentRatesAreNormalisedByTheWindowAndTrendsAreZeroForYoungCustomers() {
    double[] f = features(oneCustomer(), CUTOFF);
    assertEquals(30.0 * 3 / 90, f[Feature.RECENT_PURCHASES_30D.ordinal()], 1e-12);
    assertEquals(30.0 * 160 / 90, f[Feature.RECENT_SPEND_30D.ordinal()], 1e-9);
    assertEquals(0, f[Feature.PURCHASE_TREND.ordinal()], 1e-12);
    assertEquals(0, f[Feature.SPEND_TREND.ordinal()], 1e-9);
  }

  @Test
  void unknownFactsAreMinusOneAndKnownFactsAreRead() {
    double[] f = features(oneCustomer(), CUTOFF);
    assertEquals(1, f[Feature.HOME_COUNTRY.ordinal()]);
    assertEquals(-1, f[Feature.LOYALTY_MEMBER.ordinal()]);
    assertEquals(-1, f[Feature.OPEN_COMPLAINTS.ordinal()]);
    assertEquals(40, f[Feature.ACCOUNT_AGE_DAYS.ordinal()]);
    CustomerLog withFacts =
        CustomerLog.builder()
            .add("A", D0, 10, 1, null, "FR")
            .facts(new CustomerFacts("A", "b2c", "FR", true, false, LocalDate.ofEpochDay(D0 - 100), 2, false))
            .build();
    double[] g = features(withFacts, CUTOFF);
    assertEquals(0, g[Feature.HOME_COUNTRY.ordinal()]);
    assertEquals(0, g[Feature.LOYALTY_MEMBER.ordinal()]);
    assertEquals(1, g[Feature.MARKETING_CONSENT.ordinal()]);
    assertEquals(2, g[Feature.OPEN_COMPLAINTS.ordinal()]);
    assertEquals(0, g[Feature.FRAUD_FLAG.ordinal()]);
    assertEquals(140, g[Feature.ACCOUNT_AGE_DAYS.ordinal()]);
  }

  @Test
  void recordsAfterTheCutoffChangeNothing() {
    CustomerLog full = oneCustomer();
    assertArrayEquals(features(full, CUTOFF), features(full.upTo(CUTOFF), CUTOFF), 0);
  }

  @Test
  void aCustomerWhoHadNotBoughtByTheCutoffHasNoFeatures() {
    double[] f = new double[Feature.count()];
    assertFalse(BUILDER.compute(oneCustomer(), 0, D0 - 1, f));
  }

  @Test
  void targetsCountOnlyTheHorizonAfterTheCutoff() {
    FeatureTable t = FeatureTable.at(oneCustomer(), CUTOFF, BUILDER);
    Targets within = Targets.of(t, 60);
    assertEquals(200, within.spend()[0], 1e-9);
    assertTrue(within.buys()[0]);
    Targets before = Targets.of(t, 59);
    assertEquals(0, before.spend()[0], 1e-9);
    assertFalse(before.buys()[0]);
  }
}
