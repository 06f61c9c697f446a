package io.valuetier.features;

import io.valuetier.config.Settings;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * How features are computed: the recent window and the shop's main country. A model keeps the spec it was trained with,
 * so that it computes the same features when it scores.
 *
 * @param recentWindowDays {@code W}: the window of the recent rates and trends ({@code valuetier.features.recent-window-days})
 * @param homeCountry the most common customer country of the training data (null when the data has no countries)
 */
public record FeatureSpec(int recentWindowDays, String homeCountry) implements Serializable {

  public FeatureSpec {
    if (recentWindowDays < 7 || recentWindowDays > 3660) {
      throw new IllegalArgumentException("recent window must be 7..3660 days, got " + recentWindowDays);
    }
  }

  /** The spec of the settings, with the home country found in {@code log} among customers who bought by {@code cutoffDay}. */
  public static FeatureSpec from(Settings s, CustomerLog log, int cutoffDay) {
    return new FeatureSpec(s.intValue("valuetier.features.recent-window-days", 7, 3660), homeCountry(log, cutoffDay));
  }

  /** The most common country among customers with a purchase on or before the cutoff (ties: alphabetical). */
  public static String homeCountry(CustomerLog log, int cutoffDay) {
    Map<String, Integer> counts = new HashMap<>();
    for (int c = 0; c < log.size(); c++) {
      if (log.to(c) > log.from(c) && log.day(log.from(c)) <= cutoffDay && log.country(c) != null) {
        counts.merge(log.country(c), 1, Integer::sum);
      }
    }
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }
}
