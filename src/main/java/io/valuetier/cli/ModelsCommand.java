package io.valuetier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.config.Settings;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier models}: the registry's models and its log. */
@Command(
    name = "models", header = "Lists the model registry and its history.",
    mixinStandardHelpOptions = true,
    description = "The model registry: `models list` (every model, newest first) and `models history` (the log).",
    subcommands = {ModelsCommand.List.class, ModelsCommand.History.class})
public final class ModelsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code models history}. */
  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "Prints the registry log: trainings, retraining triggers, comparisons, promotions, refusals.")
  public static final class History implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "Print one JSON array.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      ModelRegistry registry = TrainingService.registry(s);
      java.util.List<JsonNode> events = registry.log().read();
      if (json) {
        System.out.println(Json.write(events));
        return 0;
      }
      if (events.isEmpty()) {
        System.out.println("the registry log " + registry.log().file() + " is empty");
      }
      for (JsonNode e : events) {
        System.out.println(line(e));
      }
      return 0;
    }

    static String line(JsonNode e) {
      String event = e.path("event").asText();
      String at = e.path("at").asText();
      String what = switch (event) {
        case "trained" -> "champion " + e.path("champion").asText() + ", models " + e.path("models")
            + ", calibration end " + e.path("calibration_end").asText();
        case "retrain_triggered" -> e.path("triggers").toString();
        case "challenger_trained" -> "chosen " + e.path("chosen_algorithm").asText() + " on data to "
            + e.path("calibration_end").asText() + ", validation " + e.path("validation_scores");
        case "compared" -> "holdout " + e.path("holdout").asText() + ": champion " + e.path("champion").asText() + " "
            + String.format(Locale.ROOT, "%.4f", e.path("champion_score").asDouble()) + " vs challenger "
            + e.path("challenger_algorithm").asText() + " "
            + String.format(Locale.ROOT, "%.4f", e.path("challenger_score").asDouble());
        default -> e.path("reason").asText(e.toString());
      };
      return at + "  " + String.format("%-19s", event) + " " + what;
    }
  }

  /** {@code models list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every model, newest first.")
  public static final class List implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "Print one JSON array.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      java.util.List<Map<String, Object>> cards = TrainingService.registry(s).cards();
      String champion;
      try (Store store = common.openStore(s)) { // the champion is the store's own
        champion = TrainingService.registry(s, store).champion().map(ModelRegistry.Champion::modelId).orElse(null);
      }
      if (json) {
        System.out.println(Json.write(cards));
        return 0;
      }
      for (Map<String, Object> c : cards) {
        System.out.println(c.get("model_id") + (c.get("model_id").equals(champion) ? " (champion)" : "") + "  "
            + c.get("trained_at") + "  " + c.get("folder"));
      }
      return 0;
    }
  }
}
