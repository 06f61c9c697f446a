package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.bench.OnlineRetailShop;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.pipeline.MainJob;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
      MainJob.Listener quiet =
          new MainJob.Listener() {
            @Override
            public void stage(String name, DoubleSupplier p, Supplier<String> d) {
              System.err.println("bench-run: " + name + " ...");
            }

            @Override
            public void done(String name, double seconds, String summary) {
              System.err.printf(Locale.ROOT, "bench-run: %-9s %8.1f s%n", name, seconds);
            }
          };
      MainJob.Summary summary =
          new MainJob(s, store, quiet)
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
      m.put("rows_read", summary.ingest().read());
      m.put("rows_accepted", summary.ingest().accepted());
      m.put("rows_rejected", summary.ingest().rejected());
      m.put("customers_scored", summary.customersScored());
      m.put("decisions", summary.decisions().decisions());
      m.put("actions_published", summary.publish().delivered());
      m.put("publish_failure", summary.publish().failure());
      Map<String, Double> stages = new LinkedHashMap<>();
      summary.stageSeconds().forEach((k, v) -> stages.put(k, round(v)));
      m.put("stage_seconds", stages);
      m.put("stage_rates", summary.stageRates());
      m.put("run_seconds", round(summary.seconds()));
      m.put("peak_heap_bytes", peakHeap());
      m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
      m.put("peak_resident_bytes", peakResident());
      m.put("cores", Runtime.getRuntime().availableProcessors());
      m.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (json) {
        System.out.println(Json.write(m));
      } else {
        System.out.printf(Locale.ROOT, "%,d customers, %,d rows (seed %d) on %s%n", customers,
            written.rows(), seed, store.describe());
        stages.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-9s %8.1f s%n", k, v));
        summary.stageRates().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-30s %,12.0f%n", k, v));
        System.out.printf(Locale.ROOT,
            "customers scored %,d, decisions %,d, actions published %,d; job %.1f s; peak heap %,d MB, resident %,d MB%n",
            summary.customersScored(), summary.decisions().decisions(), summary.publish().delivered(),
            summary.seconds(), peakHeap() >> 20, peakResident() >> 20);
      }
      return summary.publish().failed() ? 1 : 0;
    }
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  /** The sum of the heap pools' peaks: an upper bound of the peak heap in use (the pools peak at different times). */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** The process's peak resident memory (VmHWM of /proc/self/status), or -1 where there is no such file. */
  static long peakResident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
