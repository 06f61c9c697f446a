package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.pipeline.MainJob;
import io.valuetier.store.Store;
import io.valuetier.stream.BatchCoordinator;
import io.valuetier.stream.KafkaSettings;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
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
      "When the store has a champion that the retraining policy still accepts (model settings unchanged, data at most",
      "valuetier.run.retrain-after-days past its calibration end, no drifted input) it takes the scoring path: the new",
      "data is ingested, scored and decided with the champion and nothing is trained; the output says which path ran",
      "and why.",
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

  @Option(
      names = "--score-only",
      description = "Score and decide with the current champion without training, whatever the retraining policy"
          + " says (valuetier.run.retrain-after-days, valuetier.run.retrain-on-drift decide it otherwise).")
  boolean scoreOnly;

  @Option(
      names = "--workers",
      description = "Score and decide on the Kafka workers (valuetier worker) instead of in this process: the run's"
          + " customers are split into valuetier.kafka.buckets buckets on valuetier.kafka.topic.work, the workers score"
          + " them, then rank and decide them; this process waits for each round, grants the offer budget and"
          + " publishes and reports as without it (the same scores and decisions)."
          + " Needs a store the workers share (MySQL/MariaDB) and a broker. See docs/scale-out.md.")
  boolean workers;

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
            retrain,
            scoreOnly);
    AtomicReference<Progress> bar = new AtomicReference<>();
    StageMemory memory = new StageMemory();
    MainJob.Listener listener =
        new MainJob.Listener() {
          @Override
          public void stage(String name, DoubleSupplier p, Supplier<String> detail) {
            memory.start();
            close(bar.getAndSet(Progress.start(name, p, detail, json)));
          }

          @Override
          public void stage(String name, DoubleSupplier p, LongSupplier count, String unit) {
            memory.start();
            close(bar.getAndSet(Progress.start(name, p, null, count, unit, json)));
          }

          @Override
          public void done(String name, double seconds, String summary) {
            close(bar.getAndSet(null));
            memory.done(name);
            if (!json) {
              System.out.printf(Locale.ROOT, "%-9s %6.1f s  %s%n", name, seconds, summary);
            }
          }
        };
    try (Store store = common.openStore(s)) {
      MainJob.Summary summary;
      try {
        MainJob job = new MainJob(s, store, listener);
        if (workers && store.dialect() == Store.Dialect.H2) {
          // refused before any stage runs: the coordinator would wait for workers that cannot open this database
          throw new IllegalArgumentException("--workers: the workers must share the store, and " + store.describe()
              + " is an embedded H2 database that one process opens at a time; use MySQL/MariaDB"
              + " (valuetier.db.url, --db), see docs/scale-out.md");
        }
        if (workers) {
          job.decideWith(new BatchCoordinator(s, store));
        }
        summary = job.run(o);
      } finally {
        close(bar.getAndSet(null));
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>(summary.asMap());
        m.putAll(memory.asMap());
        System.out.println(Json.write(m));
      } else {
        System.out.println();
        System.out.printf(Locale.ROOT, "Done in %.1f s on %s%n", summary.seconds(), store.describe());
        summary.lines().forEach(l -> System.out.println("  " + l));
        Map<String, Object> mem = memory.asMap();
        System.out.printf(Locale.ROOT, "  memory: peak heap %,d MB of %,d MB (%s), peak resident %,d MB%n",
            (long) mem.get("peak_heap_bytes") >> 20, (long) mem.get("max_heap_bytes") >> 20, mem.get("gc"),
            (long) mem.get("peak_resident_bytes") >> 20);
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
