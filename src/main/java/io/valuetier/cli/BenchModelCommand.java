package io.valuetier.cli;

import io.valuetier.model.ModelSettings;
import io.valuetier.bench.ModelBenchmark;
import io.valuetier.util.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier bench-model}: times training and scoring on synthetic shops (see BENCHMARKS.md). */
@Command(
    name = "bench-model", header = "Benchmarks the value models on seeded synthetic shops.",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks the value models on seeded synthetic shops.",
      "Trains every algorithm on --training-customers customers, then builds features and scores --customers",
      "customers, and explains them (TreeSHAP); prints times, rates and peak memory. Give the JVM room:",
      "VALUETIER_JAVA_OPTS=-Xmx12g for a million customers."
    })
public final class BenchModelCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(paramLabel = "N", names = "--customers", defaultValue = "1000000", description = "Customers scored (default ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      paramLabel = "N", names = "--training-customers",
      defaultValue = "200000",
      description = "Customers trained on (default ${DEFAULT-VALUE}).")
  int trainingCustomers;

  @Option(paramLabel = "N", names = "--seed", defaultValue = "7", description = "Seed of the synthetic shops (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object (default: one figure per line).")
  boolean json;

  @Override
  public Integer call() {
    ModelSettings s = ModelSettings.from(common.settings());
    Map<String, Object> figures = ModelBenchmark.run(s, customers, trainingCustomers, seed);
    if (json) {
      System.out.println(Json.write(figures));
    } else {
      figures.forEach((k, v) -> System.out.printf("%-40s %s%n", k, v));
    }
    return 0;
  }
}
