package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.features.StoreHistory;
import io.valuetier.model.TrainingService;
import io.valuetier.monitor.Monitor;
import io.valuetier.monitor.MonitorSettings;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier monitor}: feature drift, calibration once a horizon has passed, decision shifts. */
@Command(
    name = "monitor", header = "Warns about model drift, calibration and shifts in the decisions.",
    mixinStandardHelpOptions = true,
    description = {
      "Monitors the champion model and the decisions, and prints warnings:",
      "feature drift (PSI of every model input, training population vs the customers now),",
      "calibration of the latest scoring run whose horizon has passed (predicted vs actual spend, Brier, Gini),",
      "and shifts of the tier mix and rule hit rates between the last two batch decision runs.",
      "Warnings are findings, not errors: the exit code is 0 unless the check itself fails.",
      "Thresholds: valuetier.monitor.* in config/application.properties."
    })
public final class MonitorCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    Monitor.Report r;
    try (Store store = common.openStore(settings)) {
      r = new Monitor(MonitorSettings.from(settings), TrainingService.registry(settings, store), store)
          .run(StoreHistory.read(store));
    }
    if (json) {
      System.out.println(Json.write(r.asMap()));
    } else {
      r.lines().forEach(System.out::println);
    }
    return 0;
  }
}
