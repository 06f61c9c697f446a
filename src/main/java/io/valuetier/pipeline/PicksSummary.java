package io.valuetier.pipeline;

import io.valuetier.model.picks.PicksEvaluation;
import io.valuetier.model.picks.PicksService;
import io.valuetier.model.picks.PicksSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The product picks' lines of the report's accounting: what the stage did and its holdout evaluation. */
final class PicksSummary {
  private PicksSummary() {}

  static Map<String, String> of(PicksService.Result r, PicksSettings settings) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("product picks", String.format(Locale.ROOT, "%,d customers, %,d products, %d per customer",
        r.customers(), r.products(), settings.maxProducts()));
    PicksEvaluation e = r.evaluation();
    if (e != null) {
      m.put("picks hit rate at " + e.n() + " (holdout)", String.format(Locale.ROOT,
          "%.1f%% (popularity baseline %.1f%%) of %,d buyers", 100 * e.recommender().hitRate(),
          100 * e.popularity().hitRate(), e.customers()));
      m.put("picks recall at " + e.n() + " (holdout)", String.format(Locale.ROOT, "%.1f%% (popularity %.1f%%)",
          100 * e.recommender().recall(), 100 * e.popularity().recall()));
      m.put("picks catalogue coverage", String.format(Locale.ROOT, "%.1f%% (popularity %.1f%%)",
          100 * e.recommender().coverage(), 100 * e.popularity().coverage()));
    }
    return m;
  }
}
