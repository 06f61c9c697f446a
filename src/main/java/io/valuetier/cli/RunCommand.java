package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.pipeline.MainJob;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier run}: the whole loop on the bundled sample data (or the given files). */
@Command(
    name = "run", header = "Runs the whole loop: ingest, train, predict, decide, publish and report.",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole loop: ingest and clean, train and evaluate (or reuse the champion), predict, decide with the",
      "DMN and DRL rules, publish the actions through the publish route, write the HTML report.",
      "Without options it uses the bundled Online Retail sample and the embedded H2 database."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--transactions", paramLabel = "FILE", description = "Transaction file (default: valuetier.run.transactions).")
  Path transactions;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Its layout (default: valuetier.run.format).")
  TransactionFormat format;

  @Option(names = "--customers", paramLabel = "FILE", description = "Customer facts (default: valuetier.run.customers).")
  Path customers;

  // --force as in train and retrain; --retrain is the old name, kept so that scripts do not break
  @Option(
      names = {"--force", "--retrain"},
      description = "Train new models even when the champion matches data and settings (--retrain: old name, deprecated).")
  boolean retrain;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(
      names = "--strict",
      description = "Exit with code " + STRICT_EXIT + " after the summary when the rule set on disk was refused or an"
          + " input file yielded no rows.")
  boolean strict;

  /** The exit code of {@code --strict} when the run finished but something changed its meaning. */
  static final int STRICT_EXIT = 3;

  @Override
  public Integer call() throws Exception {
    Settings s = common.settings();
    MainJob.Options d = MainJob.Options.defaults(s);
    MainJob.Options o =
        new MainJob.Options(
            transactions != null ? transactions : d.transactions(),
            format != null ? format : d.format(),
            customers != null ? customers : transactions != null ? null : d.customers(),
            retrain);
    AtomicReference<Progress> bar = new AtomicReference<>();
    MainJob.Listener listener =
        new MainJob.Listener() {
          @Override
          public void stage(String name, DoubleSupplier p, Supplier<String> detail) {
            close(bar.getAndSet(Progress.start(name, p, detail, json)));
          }

          @Override
          public void done(String name, double seconds, String summary) {
            close(bar.getAndSet(null));
            if (!json) {
              System.out.printf(Locale.ROOT, "%-9s %6.1f s  %s%n", name, seconds, summary);
            }
          }
        };
    try (Store store = common.openStore(s)) {
      MainJob.Summary summary;
      try {
        summary = new MainJob(s, store, listener).run(o);
      } finally {
        close(bar.getAndSet(null));
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>(summary.asMap());
        System.out.println(Json.write(m));
      } else {
        System.out.println();
        System.out.printf(Locale.ROOT, "Done in %.1f s on %s%n", summary.seconds(), store.describe());
        summary.lines().forEach(l -> System.out.println("  " + l));
      }
      if (summary.publish().failed()) {
        return 1;
      }
      if (strict && !summary.strictProblems().isEmpty()) {
        summary.strictProblems().forEach(p -> System.err.println("--strict: " + p));
        return STRICT_EXIT;
      }
      return 0;
    }
  }

  private static void close(Progress p) {
    if (p != null) {
      p.close();
    }
  }
}
