package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code valuetier bench-ingest}: the ingest rate, cleaning included, through the real route into a fresh store per
 * repetition (an H2 file in a temporary folder, or a new database on a MySQL server).
 */
@Command(
    name = "bench-ingest", header = "Measures the ingest rate (read, clean, store).",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the ingest rate (read, clean, store) into a fresh store per repetition; prints the median.",
      "--target h2 (default) or --target mysql --server jdbc:mysql://127.0.0.1:3306/ (a database is created and dropped)."
    })
public final class BenchIngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--transactions", paramLabel = "FILE", description = "Default: data/sample/online_retail.csv.gz.")
  Path file;

  @Option(paramLabel = "FORMAT", names = "--format", defaultValue = "online-retail", description = "Layout of the file (default ${DEFAULT-VALUE}).")
  TransactionFormat format;

  @Option(paramLabel = "NAME", names = "--target", defaultValue = "h2", description = "h2 or mysql (default ${DEFAULT-VALUE}).")
  String target;

  @Option(paramLabel = "URL", names = "--server", defaultValue = "jdbc:mysql://127.0.0.1:3306/", description = "MySQL server for --target mysql.")
  String server;

  @Option(paramLabel = "NAME", names = "--user", defaultValue = "root", description = "MySQL user (default ${DEFAULT-VALUE}).")
  String user;

  @Option(paramLabel = "TEXT", names = "--password", defaultValue = "", description = "MySQL password (default empty).")
  String password;

  @Option(paramLabel = "N", names = "--repeat", defaultValue = "5", description = "Repetitions (default ${DEFAULT-VALUE}); the first warms up the JVM.")
  int repeat;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path data = file != null ? file : common.home().resolve("data/sample/online_retail.csv.gz");
    TransactionFormat f = format;
    List<Double> rates = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < repeat; i++) {
      Path tmp = Files.createTempDirectory("valuetier-bench");
      String url;
      String db = null;
      if (target.equals("h2")) {
        url = "jdbc:h2:file:" + tmp.resolve("bench") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
      } else if (target.equals("mysql")) {
        db = "valuetier_bench_" + ProcessHandle.current().pid() + "_" + i;
        admin(server, "CREATE DATABASE " + db);
        url = (server.endsWith("/") ? server : server + "/") + db;
      } else {
        throw new IllegalArgumentException("--target must be h2 or mysql, not '" + target + "'");
      }
      Map<String, String> o = new LinkedHashMap<>();
      o.put("valuetier.db.url", url);
      o.put("valuetier.db.user", user);
      o.put("valuetier.db.password", password);
      o.put("valuetier.deadletter.uri", "file:" + tmp.resolve("deadletter"));
      Settings s = common.settings(o);
      try (Store store = Stores.open(s);
          IngestService ingest = new IngestService(s, store)) {
        IngestReport r = ingest.ingestTransactions(data, f);
        if (r.failed()) {
          throw new IllegalStateException("ingest failed: " + r.failure());
        }
        rows = r.read();
        rates.add(r.rowsPerSecond());
        if (!json) {
          System.out.printf(Locale.ROOT, "run %d: %,d rows in %.2f s = %,.0f rows/s%n", i + 1, r.read(), r.seconds(), r.rowsPerSecond());
        }
      } finally {
        if (db != null) {
          admin(server, "DROP DATABASE IF EXISTS " + db);
        }
        deleteTree(tmp);
      }
    }
    List<Double> measured = rates.size() > 1 ? rates.subList(1, rates.size()) : rates;
    List<Double> sorted = new ArrayList<>(measured);
    sorted.sort(Comparator.naturalOrder());
    double median = sorted.get(sorted.size() / 2);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("target", target);
    out.put("file", data.toString());
    out.put("rows", rows);
    out.put("runs", rates);
    out.put("median_rows_per_second", Math.round(median));
    out.put("min_rows_per_second", Math.round(sorted.getFirst()));
    out.put("max_rows_per_second", Math.round(sorted.getLast()));
    out.put("cores", Runtime.getRuntime().availableProcessors());
    if (json) {
      System.out.println(Json.write(out));
    } else {
      System.out.printf(Locale.ROOT, "median of %d measured runs (first run is warm-up): %,.0f rows/s (min %,.0f, max %,.0f) into %s%n",
          measured.size(), median, sorted.getFirst(), sorted.getLast(), target);
    }
    return 0;
  }

  private void admin(String serverUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(serverUrl, user, password);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
