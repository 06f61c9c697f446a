package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.model.TrainingService;
import io.valuetier.model.retrain.RetrainService;
import io.valuetier.monitor.Monitor;
import io.valuetier.monitor.MonitorSettings;
import io.valuetier.records.Finding;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier retrain}: challenger vs champion on the latest holdout, promoted only when better. */
@Command(
    name = "retrain", header = "Trains a challenger when the data or monitoring calls for it; promotes it when better.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a challenger when the store holds data the champion was not trained on, or monitoring warns about the",
      "champion's drift or calibration (valuetier.retrain.on-warnings), or with --force. The challenger is trained on",
      "the data before the latest holdout (the last valuetier.retrain.holdout-days days); both predict that holdout,",
      "and the challenger is promoted (trained again on all data, champion.json replaced) only when its mean of",
      "normalized Gini and Spearman beats the champion's by valuetier.retrain.min-improvement.",
      "Every step is logged in models/log/registry-log.jsonl (see `valuetier models history`).",
      "A refusal is a decision, not an error: the exit code is 0."
    })
public final class RetrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--force", description = "Train and compare a challenger even without a trigger.")
  boolean force;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    RetrainService.RetrainResult o;
    try (Store store = common.openStore(settings)) {
      CustomerLog log = StoreHistory.read(store);
      RetrainService service = new RetrainService(settings, store);
      List<Finding> warnings = List.of();
      if (TrainingService.registry(settings, store).champion().isPresent()
          && RetrainService.Policy.from(settings).onWarnings()) {
        warnings = new Monitor(MonitorSettings.from(settings), TrainingService.registry(settings, store), store)
            .run(log).modelWarnings();
      }
      o = service.retrain(log, store.describe(), warnings, force);
    }
    if (json) {
      System.out.println(Json.write(o.asMap()));
      return 0;
    }
    System.out.println(o.decision() + ": " + o.reason());
    o.triggers().forEach(t -> System.out.println("  trigger: " + t));
    if (o.comparison() != null) {
      RetrainService.Comparison c = o.comparison();
      System.out.printf(Locale.ROOT, "  latest holdout %s..%s, %,d customers%n", c.cutoff().plusDays(1), c.end(),
          c.customers());
      System.out.printf(Locale.ROOT, "  champion   %-10s Gini %.3f  Spearman %.3f  score %.4f%s%n", c.championId(),
          c.champion().normalizedGini(), c.champion().spearman(), c.championScore(),
          c.championSawHoldoutDays() > 0 ? " (trained on " + c.championSawHoldoutDays() + " days of the holdout)" : "");
      System.out.printf(Locale.ROOT, "  challenger %-10s Gini %.3f  Spearman %.3f  score %.4f%n",
          c.challengerAlgorithm(), c.challenger().normalizedGini(), c.challenger().spearman(), c.challengerScore());
    }
    if (o.promoted()) {
      System.out.println("  run `valuetier predict` (or `valuetier run`) to score with " + o.championAfter());
    }
    System.out.printf(Locale.ROOT, "  time %.1f s%n", o.seconds());
    return 0;
  }
}
