package io.valuetier.cli;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.features.TransactionFileLog;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier train}: trains and registers the value models and records the champion. */
@Command(
    name = "train", header = "Trains the value models and records the champion.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the value models and records the champion.",
      "Trains every algorithm of valuetier.model.algorithms on the store's transactions (or on files), registers",
      "each in models/ with its model card, and records the champion chosen on a validation window inside the data.",
      "When the champion was trained on the same data with the same settings, it is reused (--force retrains)."
    })
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--transactions", paramLabel = "FILE", description = "Train on this file instead of the store (repeatable).")
  List<Path> transactions = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "Layout of each --transactions file (one value applies to all).")
  List<TransactionFormat> formats = new ArrayList<>();

  @Option(names = "--cutoff", paramLabel = "DATE", description = "Last day of data to learn from (default: the last day there is).")
  LocalDate cutoff;

  @Option(names = "--force", description = "Retrain even when the champion matches the data and settings.")
  boolean force;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    CustomerLog log;
    String source;
    ModelRegistry registry = null; // files: the registry's own champion; a store: that store's champion
    if (!transactions.isEmpty()) {
      if (formats.size() != 1 && formats.size() != transactions.size()) {
        throw new IllegalArgumentException("give one --format for all files or one per --transactions");
      }
      List<TransactionFileLog.Source> sources = new ArrayList<>();
      for (int i = 0; i < transactions.size(); i++) {
        sources.add(
            new TransactionFileLog.Source(
                transactions.get(i), formats.get(formats.size() == 1 ? 0 : i)));
      }
      log = TransactionFileLog.read(sources, CleaningRules.from(settings, LocalDateTime.now())).log();
      source = transactions.toString();
    } else {
      try (Store store = common.openStore(settings)) {
        log = StoreHistory.read(store);
        source = store.describe();
        registry = TrainingService.registry(settings, store);
      }
    }
    TrainingService service =
        registry != null ? new TrainingService(ModelSettings.from(settings), registry) : new TrainingService(settings);
    TrainingService.TrainingResult o = service.train(log, source, cutoff, force);
    print(o, service);
    return 0;
  }

  private void print(TrainingService.TrainingResult o, TrainingService service) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reused", o.reused());
    m.put("champion", o.champion());
    m.put("registry", service.registry().dir().toString());
    m.put("data_fingerprint", o.data().fingerprint());
    m.put("customers", o.data().customers());
    m.put("last_day", String.valueOf(o.data().last()));
    m.put("seconds", o.seconds());
    if (o.result() != null) {
      Trainer.Result r = o.result();
      m.put("calibration_end", r.calibrationEnd().toString());
      m.put("horizon_days", r.horizonDays());
      m.put("validation_window", r.validationCutoff().plusDays(1) + ".." + r.calibrationEnd());
      List<Map<String, Object>> models = new ArrayList<>();
      for (int i = 0; i < r.candidates().size(); i++) {
        Trainer.Candidate c = r.candidates().get(i);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("model_id", o.registered().get(i).modelId());
        e.put("name", c.algorithm());
        e.put("validation_score", c.score());
        e.put("validation", c.validation().asMap());
        e.put("training_seconds", c.seconds());
        models.add(e);
      }
      m.put("models", models);
    }
    if (json) {
      System.out.println(Json.write(m));
      return;
    }
    if (o.reused()) {
      System.out.printf(
          Locale.ROOT, "Champion %s was trained on the same data (%s) and settings: reused (%.1f s)%n", o.champion(),
          o.data().fingerprint(), o.seconds());
      return;
    }
    Trainer.Result r = o.result();
    System.out.printf(
        Locale.ROOT, "Trained on %,d customers up to %s; horizon %d days; validation window %s..%s%n",
        r.scoredAtCutoff(), r.calibrationEnd(), r.horizonDays(), r.validationCutoff().plusDays(1), r.calibrationEnd());
    System.out.println("| model | validation Spearman | validation normalized Gini | score | training s |");
    System.out.println("|---|---|---|---|---|");
    for (int i = 0; i < r.candidates().size(); i++) {
      Trainer.Candidate c = r.candidates().get(i);
      System.out.printf(
          Locale.ROOT, "| %s%s | %.3f | %.3f | %.3f | %.1f |%n", o.registered().get(i).modelId(),
          c.algorithm().equals(r.champion()) ? " (champion)" : "", c.validation().spearman(),
          c.validation().normalizedGini(), c.score(), c.seconds());
    }
    System.out.printf(Locale.ROOT, "Champion: %s, recorded in %s (%.1f s)%n", o.champion(),
        service.registry().championFile(), o.seconds());
  }
}
