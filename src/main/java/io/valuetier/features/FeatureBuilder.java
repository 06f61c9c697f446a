package io.valuetier.features;

import io.valuetier.records.CustomerFacts;
import java.time.LocalDate;

/**
 * Computes the {@link Feature} vector of one customer at a cutoff from the customer's records in a {@link CustomerLog}:
 * one scan of that customer's days, no look at anyone else, so that one customer can be scored on its own. Records
 * after the cutoff are ignored. Thread-safe.
 */
public final class FeatureBuilder {
  private final FeatureSpec spec;

  public FeatureBuilder(FeatureSpec spec) {
    this.spec = spec;
  }

  public FeatureSpec spec() {
    return spec;
  }

  /**
   * Writes the features of {@code customer} at {@code cutoffDay} (inclusive) into {@code out}.
   *
   * @return false, leaving {@code out} untouched, when the customer made no purchase on or before the cutoff
   */
  public boolean compute(CustomerLog log, int customer, int cutoffDay, double[] out) {
    int from = log.from(customer);
    int to = log.to(customer);
    int end = from;
    while (end < to && log.day(end) <= cutoffDay) {
      end++;
    }
    int first = Integer.MIN_VALUE;
    int last = Integer.MIN_VALUE;
    int f = 0;
    double net = 0;
    double grossTotal = 0;
    double returnedTotal = 0;
    double items = 0;
    long lines = 0;
    long distinct = 0;
    double firstSpend = 0;
    double lastSpend = 0;
    double maxSpend = Double.NEGATIVE_INFINITY;
    double repeatNet = 0;
    int w = spec.recentWindowDays();
    int recentPurchases = 0;
    double recentNet = 0;
    // gaps between purchase days: running mean and sum of squares (Welford)
    int gaps = 0;
    double gapMean = 0;
    double gapM2 = 0;
    for (int r = from; r < end; r++) {
      int d = log.day(r);
      double dayNet = log.gross(r) - log.returned(r);
      net += dayNet;
      grossTotal += log.gross(r);
      returnedTotal += log.returned(r);
      if (d > cutoffDay - w) {
        recentNet += dayNet;
      }
      if (log.gross(r) <= 0) {
        continue;
      }
      f++;
      items += log.items(r);
      lines += log.lines(r);
      distinct += log.newProducts(r);
      if (first == Integer.MIN_VALUE) {
        first = d;
        firstSpend = dayNet;
      } else {
        repeatNet += dayNet;
        int gap = d - last;
        gaps++;
        double delta = gap - gapMean;
        gapMean += delta / gaps;
        gapM2 += delta * (gap - gapMean);
      }
      last = d;
      lastSpend = dayNet;
      maxSpend = Math.max(maxSpend, dayNet);
      if (d > cutoffDay - w) {
        recentPurchases++;
      }
    }
    if (f == 0) {
      return false;
    }
    int tenure = cutoffDay - first;
    int span = last - first;
    int recency = cutoffDay - last;
    double ipt = f >= 2 ? (double) span / (f - 1) : tenure;
    double iptCv = 0;
    if (gaps >= 2 && gapMean > 0) {
      iptCv = Math.sqrt(gapM2 / gaps) / gapMean;
    }
    double lifetimeWindow = Math.max(tenure + 1, w);
    double recentPurchases30 = 30.0 * recentPurchases / w;
    double recentSpend30 = 30.0 * recentNet / w;

    out[Feature.RECENCY_DAYS.ordinal()] = recency;
    out[Feature.TENURE_DAYS.ordinal()] = tenure;
    out[Feature.FREQUENCY.ordinal()] = f;
    out[Feature.REPEAT_SPAN_DAYS.ordinal()] = span;
    out[Feature.RECENCY_RATIO.ordinal()] = tenure == 0 ? 0 : (double) span / tenure;
    out[Feature.REPEAT_RATE_30D.ordinal()] = 30.0 * (f - 1) / Math.max(tenure, 30);
    out[Feature.NET_SPEND_TOTAL.ordinal()] = net;
    out[Feature.SPEND_MEAN.ordinal()] = net / f;
    out[Feature.REPEAT_SPEND_MEAN.ordinal()] = f >= 2 ? repeatNet / (f - 1) : net / f;
    out[Feature.SPEND_RATE_30D.ordinal()] = 30.0 * net / Math.max(tenure + 1, 30);
    out[Feature.FIRST_SPEND.ordinal()] = firstSpend;
    out[Feature.LAST_SPEND.ordinal()] = lastSpend;
    out[Feature.MAX_SPEND.ordinal()] = maxSpend;
    out[Feature.IPT_MEAN_DAYS.ordinal()] = ipt;
    out[Feature.IPT_CV.ordinal()] = iptCv;
    out[Feature.OVERDUE_RATIO.ordinal()] = ipt > 0 ? recency / ipt : 0;
    out[Feature.RECENT_PURCHASES_30D.ordinal()] = recentPurchases30;
    out[Feature.RECENT_SPEND_30D.ordinal()] = recentSpend30;
    out[Feature.PURCHASE_TREND.ordinal()] = recentPurchases30 - 30.0 * f / lifetimeWindow;
    out[Feature.SPEND_TREND.ordinal()] = recentSpend30 - 30.0 * net / lifetimeWindow;
    out[Feature.RETURNS_RATIO.ordinal()] = grossTotal > 0 ? returnedTotal / grossTotal : 0;
    out[Feature.BASKET_ITEMS.ordinal()] = items / f;
    out[Feature.BASKET_LINES.ordinal()] = (double) lines / f;
    out[Feature.MEAN_ITEM_PRICE.ordinal()] = items > 0 ? grossTotal / items : 0;
    out[Feature.DISTINCT_PRODUCTS.ordinal()] = distinct;
    out[Feature.PRODUCT_NOVELTY.ordinal()] = lines > 0 ? (double) distinct / lines : 0;
    String country = log.country(customer);
    out[Feature.HOME_COUNTRY.ordinal()] = country != null && country.equals(spec.homeCountry()) ? 1 : 0;
    CustomerFacts facts = log.facts(customer);
    out[Feature.LOYALTY_MEMBER.ordinal()] = flag(facts == null ? null : facts.loyaltyMember());
    out[Feature.MARKETING_CONSENT.ordinal()] = flag(facts == null ? null : facts.marketingConsent());
    out[Feature.OPEN_COMPLAINTS.ordinal()] =
        facts == null || facts.openComplaints() == null ? -1 : facts.openComplaints();
    out[Feature.FRAUD_FLAG.ordinal()] = flag(facts == null ? null : facts.fraudFlag());
    LocalDate signup = facts == null ? null : facts.signupDate();
    long age = signup == null ? tenure : cutoffDay - signup.toEpochDay();
    out[Feature.ACCOUNT_AGE_DAYS.ordinal()] = age < 0 ? tenure : age;
    return true;
  }

  private static double flag(Boolean b) {
    return b == null ? -1 : b ? 1 : 0;
  }
}
