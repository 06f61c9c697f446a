package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.bench.OnlineRetailShop;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.pipeline.MainJob;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code valuetier bench-run}: the whole main job on a seeded synthetic shop of a chosen size (Online Retail layout,
 * {@link OnlineRetailShop}) in a fresh store, with the seconds and rate of every stage and the peak memory as JSON.
 * With {@code --json} the figures are one JSON object. Everything the run writes (store, actions, models, report) goes to a temporary folder, deleted afterwards.
 */
@Command(
    name = "bench-run", header = "Measures the main job end to end on a synthetic shop of N customers.",
    mixinStandardHelpOptions = true,
    description = {
      "Generates a seeded synthetic shop in the Online Retail layout (repeat customers with a long tail of spend,",
      "returns as C-invoices, rows without a customer id, a few unreadable rows), runs the main job on it in a fresh",
      "store (a temporary H2 file, or --db URL naming an empty database) and prints per-stage seconds and rates and",
      "the peak heap and resident memory (--json: as one JSON object)."
    })
public final class BenchRunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--customers", paramLabel = "N", required = true, description = "Customers in the synthetic shop.")
  int customers;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the shop (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--then-score",
      description = "After the first run, run again on the next day's purchases (one customer in 100) in the same"
          + " store: the daily case, which takes the scoring path with the champion just trained; its figures are"
          + " under scoring_run.")
  boolean thenScore;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (customers < 1 || customers > 10_000_000) {
      throw new IllegalArgumentException("--customers must be between 1 and 10,000,000, not " + customers);
    }
    Path work = Files.createTempDirectory("valuetier-bench-run-");
    try {
      return run(work);
    } finally {
      delete(work);
    }
  }

  private int run(Path work) throws Exception {
    long g0 = System.nanoTime();
    Path file = work.resolve("shop.csv");
    OnlineRetailShop.Written written = OnlineRetailShop.write(file, customers, seed);
    double generateSeconds = (System.nanoTime() - g0) / 1e9;

    Map<String, String> o = new HashMap<>();
    if (common.db == null) {
      o.put("valuetier.db.url", "jdbc:h2:file:" + work.resolve("store/valuetier").toAbsolutePath()
          + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE");
    }
    o.put("valuetier.publish.to", "direct:write-action-files");
    o.put("valuetier.publish.folder", work.resolve("out/actions").toAbsolutePath().toString());
    o.put("valuetier.run.report", work.resolve("out/report.html").toAbsolutePath().toString());
    o.put("valuetier.model.registry-dir", work.resolve("models").toAbsolutePath().toString());
    o.put("valuetier.deadletter.uri",
        "file:" + work.resolve("deadletter").toAbsolutePath() + "?fileName=${routeId}-${exchangeId}.txt");
    Settings s = common.settings(o);
    try (Store store = common.openStore(s)) {
      if (store.queryLong("SELECT COUNT(*) FROM decision_runs") > 0) {
        throw new IllegalArgumentException("the database " + store.describe() + " already holds decision runs:"
            + " bench-run measures a fresh store; give --db an empty database (or none, for a temporary H2 file)");
      }
      StageMemory memory = new StageMemory();
      MainJob.Summary summary =
          new MainJob(s, store, listener(memory))
              .run(new MainJob.Options(file, TransactionFormat.of("online-retail"), null, false));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("customers_generated", written.customers());
      m.put("seed", seed);
      m.put("rows_generated", written.rows());
      m.put("bad_rows_generated", written.badRows());
      m.put("rows_without_customer_generated", written.rowsWithoutCustomer());
      m.put("return_rows_generated", written.returnRows());
      m.put("generate_seconds", round(generateSeconds));
      m.put("store", store.describe());
      m.putAll(figures(summary, memory));
      if (thenScore) {
        // The daily case: the next day's file (one customer in a hundred buys) with the champion just trained.
        Path day = work.resolve("next-day.csv");
        long dayRows = writeNextDay(day, customers);
        StageMemory dayMemory = new StageMemory();
        MainJob.Summary scored = new MainJob(s, store, listener(dayMemory))
            .run(new MainJob.Options(day, TransactionFormat.of("online-retail"), null, false));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rows_generated", dayRows);
        d.putAll(figures(scored, dayMemory));
        m.put("scoring_run", d);
      }
      if (json) {
        System.out.println(Json.write(m));
      } else {
        System.out.printf(Locale.ROOT, "%,d customers, %,d rows (seed %d) on %s%n", customers,
            written.rows(), seed, store.describe());
        summary.stageSeconds().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-9s %8.1f s%n", k, v));
        summary.stageRates().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-30s %,12.0f%n", k, v));
        System.out.printf(Locale.ROOT,
            "customers scored %,d, decisions %,d, actions published %,d; job %.1f s; peak heap %,d MB, resident %,d MB%n",
            summary.customersScored(), summary.decisions().decisions(), summary.publish().delivered(),
            summary.seconds(), (long) m.get("peak_heap_bytes") >> 20, (long) m.get("peak_resident_bytes") >> 20);
        if (m.get("scoring_run") instanceof Map<?, ?> d) {
          System.out.printf(Locale.ROOT, "scoring run on the next day's %,d rows: %s path, job %.1f s, stages %s%n",
              (long) d.get("rows_generated"), d.get("model_path"), (double) d.get("run_seconds"), d.get("stage_seconds"));
        }
      }
      return summary.publish().failed() ? 1 : 0;
    }
  }

  /** Stage lines on stderr, and each stage's memory peaks. */
  private static MainJob.Listener listener(StageMemory memory) {
    return new MainJob.Listener() {
      @Override
      public void stage(String name, DoubleSupplier p, Supplier<String> d) {
        memory.start();
        System.err.println("bench-run: " + name + " ...");
      }

      @Override
      public void done(String name, double seconds, String summary) {
        memory.done(name);
        System.err.printf(Locale.ROOT, "bench-run: %-9s %8.1f s  %s%n", name, seconds, summary);
      }
    };
  }

  /** The figures of one run of the main job, as in {@code run --json}. */
  private static Map<String, Object> figures(MainJob.Summary summary, StageMemory memory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_path", summary.modelStep().path());
    m.put("model_path_reason", summary.modelStep().reason());
    m.put("rows_read", summary.ingest().read());
    m.put("rows_accepted", summary.ingest().accepted());
    m.put("rows_rejected", summary.ingest().rejected());
    m.put("customers_scored", summary.customersScored());
    m.put("decisions", summary.decisions().decisions());
    m.put("actions_published", summary.publish().delivered());
    m.put("publish_failure", summary.publish().failure());
    if (summary.evaluation() != null) {
      m.put("evaluation_customers", summary.evaluation().customers());
    }
    Map<String, Double> stages = new LinkedHashMap<>();
    summary.stageSeconds().forEach((k, v) -> stages.put(k, round(v)));
    m.put("stage_seconds", stages);
    m.put("stage_parts", summary.stageParts());
    m.put("stage_rates", summary.stageRates());
    m.put("run_seconds", round(summary.seconds()));
    m.putAll(memory.asMap());
    return m;
  }

  /**
   * The day after the shop's last day: one invoice line for one customer in a hundred (ids as {@link OnlineRetailShop}
   * numbers them; about the shop's invoices of a day); returns the rows written.
   */
  static long writeNextDay(Path file, int customers) throws IOException {
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
      for (int i = 0; i < customers; i += 100) {
        w.write(String.format(Locale.ROOT, "%d,P%d,PRODUCT %d,%d,2011-12-10 10:00:00,%.2f,%d,United Kingdom%n",
            900_000_000L + i, i % 2000, i % 2000, 1 + i % 7, 1.25 + i % 13, 12_346 + i));
        rows++;
      }
    }
    return rows;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
