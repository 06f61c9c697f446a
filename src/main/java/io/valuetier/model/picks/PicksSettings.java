package io.valuetier.model.picks;

import io.valuetier.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code valuetier.picks.*} settings of the product recommender, checked when read.
 *
 * @param enabled whether the main job trains the recommender and writes picks (off: actions carry no products)
 * @param maxProducts {@code N}: products kept per customer, the most an action can carry whatever the DMN asks
 * @param neighbours {@code K}: the most similar products kept per product
 * @param history a customer's most recently bought products that the picks are computed from
 * @param minTogether two products are neighbours only when at least this many customers bought both
 * @param recentDays a product the customer bought within this many days before the cutoff is not recommended
 * @param popularDays popularity (the fallback and the baseline) counts the buyers of this many days before the cutoff
 */
public record PicksSettings(
    boolean enabled,
    int maxProducts,
    int neighbours,
    int history,
    int minTogether,
    int recentDays,
    int popularDays) {

  public static PicksSettings from(Settings s) {
    return new PicksSettings(
        s.bool("valuetier.picks.enabled"),
        s.intValue("valuetier.picks.max-products", 1, 50),
        s.intValue("valuetier.picks.neighbours", 1, 500),
        s.intValue("valuetier.picks.history", 1, 10_000),
        s.intValue("valuetier.picks.min-together", 1, 1_000_000),
        s.intValue("valuetier.picks.recent-days", 0, 3650),
        s.intValue("valuetier.picks.popular-days", 1, 36_500));
  }

  /** The settings as a map, for the model card. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_products", maxProducts);
    m.put("neighbours", neighbours);
    m.put("history", history);
    m.put("min_together", minTogether);
    m.put("recent_days", recentDays);
    m.put("popular_days", popularDays);
    return m;
  }
}
