package io.valuetier.features;

import java.util.EnumSet;
import java.util.Set;

/**
 * The behavioural features of a customer at a cutoff date {@code c}, in the order of the feature vector.
 *
 * <p>Notation: the customer's purchase days are the days up to and including {@code c} with a positive gross purchase;
 * {@code f} is their number, {@code first} and {@code last} the first and last of them, {@code T = c - first} the
 * tenure and {@code t_x = last - first}; {@code net(d)} is what the customer bought on day {@code d} minus what they
 * returned; {@code W} is {@code valuetier.features.recent-window-days}. Money is in the currency of the data.
 */
public enum Feature {
  RECENCY_DAYS("recency_days", "Days since the last purchase", "c - last"),
  TENURE_DAYS("tenure_days", "Days since the first purchase", "T = c - first"),
  FREQUENCY("frequency", "Distinct purchase days", "f"),
  REPEAT_SPAN_DAYS("repeat_span_days", "Days between first and last purchase", "t_x = last - first"),
  RECENCY_RATIO("recency_ratio", "Share of the tenure covered by repeat buying", "t_x / T (0 when T = 0)"),
  REPEAT_RATE_30D("repeat_rate_30d", "Repeat purchase days per 30 days", "30 (f - 1) / max(T, 30)"),
  NET_SPEND_TOTAL("net_spend_total", "Everything bought minus everything returned", "sum of net(d), d <= c"),
  SPEND_MEAN("spend_mean", "Net spend per purchase day", "net_spend_total / f"),
  REPEAT_SPEND_MEAN(
      "repeat_spend_mean",
      "Mean net spend of the repeat purchase days (Gamma-Gamma's z-bar)",
      "mean of net(d) over purchase days after the first; spend_mean when f = 1"),
  SPEND_RATE_30D("spend_rate_30d", "Net spend per 30 days of tenure", "30 net_spend_total / max(T + 1, 30)"),
  FIRST_SPEND("first_spend", "Net spend on the first purchase day", "net(first)"),
  LAST_SPEND("last_spend", "Net spend on the last purchase day", "net(last)"),
  MAX_SPEND("max_spend", "Largest net spend of a purchase day", "max of net(d) over purchase days"),
  IPT_MEAN_DAYS(
      "ipt_mean_days", "Mean days between purchase days", "t_x / (f - 1); T when f = 1 (at least that long)"),
  IPT_CV("ipt_cv", "Irregularity of the gaps between purchase days", "std / mean of the gaps; 0 when f < 3"),
  OVERDUE_RATIO(
      "overdue_ratio", "How overdue the next purchase is", "recency_days / ipt_mean_days (0 when ipt_mean_days = 0)"),
  RECENT_PURCHASES_30D(
      "recent_purchases_30d", "Purchase days per 30 days in the last W days", "30 |purchase days in (c-W, c]| / W"),
  RECENT_SPEND_30D("recent_spend_30d", "Net spend per 30 days in the last W days", "30 sum of net(d) in (c-W, c] / W"),
  PURCHASE_TREND(
      "purchase_trend",
      "Recent purchase rate minus the lifetime rate (0 for customers younger than W)",
      "recent_purchases_30d - 30 f / max(T + 1, W)"),
  SPEND_TREND(
      "spend_trend",
      "Recent spend rate minus the lifetime rate (0 for customers younger than W)",
      "recent_spend_30d - 30 net_spend_total / max(T + 1, W)"),
  RETURNS_RATIO("returns_ratio", "Share of the purchases returned", "returned amount / gross purchases"),
  BASKET_ITEMS("basket_items", "Items bought per purchase day", "sum of positive quantities / f"),
  BASKET_LINES("basket_lines", "Order lines per purchase day", "purchase lines / f"),
  MEAN_ITEM_PRICE("mean_item_price", "Average price paid per item", "gross purchases / items bought"),
  DISTINCT_PRODUCTS("distinct_products", "Different products bought", "|products bought up to c|"),
  PRODUCT_NOVELTY(
      "product_novelty", "Share of purchase lines that were a product new to the customer", "distinct_products / purchase lines"),
  HOME_COUNTRY(
      "home_country", "Lives in the shop's main country", "1 if the customer's country is the most common one, else 0"),
  LOYALTY_MEMBER("loyalty_member", "Loyalty programme member (fact)", "1 yes, 0 no, -1 unknown"),
  MARKETING_CONSENT("marketing_consent", "Agreed to marketing (fact)", "1 yes, 0 no, -1 unknown"),
  OPEN_COMPLAINTS("open_complaints", "Open complaints (fact)", "count; -1 unknown"),
  FRAUD_FLAG("fraud_flag", "Flagged for fraud (fact)", "1 yes, 0 no, -1 unknown"),
  ACCOUNT_AGE_DAYS("account_age_days", "Days since sign-up (fact)", "c - signup_date; tenure_days when unknown");

  private static final Feature[] ALL = values();

  /**
   * Totals that grow with the length of the observed history. Where the data starts after the shop did, every
   * customer's history is cut at that start, so a total at an early training cutoff and the same total a year later do
   * not mean the same thing; the learned models read rates and ratios instead.
   */
  private static final Set<Feature> CUMULATIVE =
      EnumSet.of(FREQUENCY, REPEAT_SPAN_DAYS, NET_SPEND_TOTAL, DISTINCT_PRODUCTS);

  private final String id;
  private final String meaning;
  private final String formula;

  Feature(String id, String meaning, String formula) {
    this.id = id;
    this.meaning = meaning;
    this.formula = formula;
  }

  /** The column name (snake case), as in model cards and explanations. */
  public String id() {
    return id;
  }

  public String meaning() {
    return meaning;
  }

  public String formula() {
    return formula;
  }

  /** Whether the learned models read this feature (totals that grow with the observed history are left out). */
  public boolean modelInput() {
    return !CUMULATIVE.contains(this);
  }

  /** The number of features. */
  public static int count() {
    return ALL.length;
  }

  public static Feature at(int index) {
    return ALL[index];
  }
}
