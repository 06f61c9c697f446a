package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.model.ScoringService;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier predict}: scores every customer in the store and writes the {@code scores} table. */
@Command(
    name = "predict", header = "Scores every customer in the store.",
    mixinStandardHelpOptions = true,
    description = {
      "Scores every customer in the store into the scores table.",
      "Uses the champion model (training one first if there is none): predicted",
      "net spend and probability of buying over the horizon, value percentile, cold-start flag and three reasons.",
      "Replaces the scores table."
    })
public final class PredictCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--cutoff", paramLabel = "DATE", description = "Score as of this day (default: the last day of data).")
  LocalDate cutoff;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    ScoringService.Result r;
    try (Store store = common.openStore(settings)) {
      r = new ScoringService(settings, store).scoreAll(cutoff);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("customers_scored", r.customersScored());
      m.put("with_history", r.withHistory());
      m.put("cold_start", r.coldStart());
      m.put("without_purchase", r.withoutPurchase());
      m.put("model_id", r.modelId());
      m.put("trained", r.trained());
      m.put("cutoff", r.cutoff().toString());
      m.put("horizon_days", r.horizonDays());
      m.put("predicted_total", r.predictedTotal());
      m.put("data_fingerprint", r.dataFingerprint());
      m.put("seconds", r.seconds());
      m.put("read_seconds", r.readSeconds());
      m.put("train_seconds", r.trainSeconds());
      m.put("score_seconds", r.scoreSeconds());
      m.put("explain_seconds", r.explainSeconds());
      m.put("write_seconds", r.writeSeconds());
      System.out.println(Json.write(m));
      return 0;
    }
    System.out.printf(Locale.ROOT, "Scored %,d customers at %s with %s%s (horizon %d days)%n", r.customersScored(),
        r.cutoff(), r.modelId(), r.trained() ? ", trained first" : "", r.horizonDays());
    System.out.printf(Locale.ROOT, "  with history %,d (cold start %,d); known only from facts %,d%n", r.withHistory(),
        r.coldStart(), r.withoutPurchase());
    System.out.printf(Locale.ROOT, "  predicted total %,.2f%n", r.predictedTotal());
    System.out.printf(Locale.ROOT,
        "  time %.1f s: read %.1f, train %.1f, score %.2f, reasons %.2f, write %.1f%n", r.seconds(), r.readSeconds(),
        r.trainSeconds(), r.scoreSeconds(), r.explainSeconds(), r.writeSeconds());
    return 0;
  }
}
