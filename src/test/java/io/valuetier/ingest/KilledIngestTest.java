package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest killed with SIGKILL in the middle and run again ends in exactly the state of one clean run. The killed
 * run is a separate JVM writing to MariaDB (an embedded H2 file cannot be watched from a second process).
 */
@Tag("slow")
class KilledIngestTest {
  static final Path FILE = TestStores.home().resolve("data/sample/online_retail.csv.gz");

  @TempDir Path work;

  /** Everything that defines the stored data, independent of run ids and times. */
  private static List<Long> fingerprint(Store s) {
    List<Long> f = new ArrayList<>();
    f.add(s.queryLong("SELECT COUNT(*) FROM transactions"));
    f.add(s.queryLong("SELECT SUM(row_key % 1000003) FROM transactions"));
    f.add(s.queryLong("SELECT SUM(row_check % 1000003) FROM transactions"));
    f.add(s.queryLong("SELECT ROUND(SUM(quantity * unit_price) * 100) FROM transactions"));
    f.add(s.queryLong("SELECT COUNT(*) FROM rejected_records"));
    f.add(s.queryLong("SELECT SUM(line_no) FROM rejected_records"));
    f.add(s.queryLong("SELECT COUNT(*) FROM customers"));
    return f;
  }

  @Test
  void anIngestKilledMidwayAndRunAgainEndsLikeOneCleanRun() throws Exception {
    String killedDb = TestStores.createMysqlDatabase("vt_killed");
    String cleanDb = TestStores.createMysqlDatabase("vt_clean");
    try {
      Settings killedSettings = TestStores.settings(killedDb, work, Map.of());
      try (Store s = Stores.open(killedSettings)) {
        Process p = startIngest(killedDb);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long stored = 0;
        while (stored < 60_000 && p.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(50);
          stored = s.queryLong("SELECT COUNT(*) FROM transactions");
        }
        assertTrue(p.isAlive(), "the ingest finished before it could be killed; stored " + stored);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long afterKill = s.queryLong("SELECT COUNT(*) FROM transactions");
        assertTrue(afterKill > 0 && afterKill < 401_564, "killed midway, with " + afterKill + " lines stored");
        assertEquals(1, s.queryLong("SELECT COUNT(*) FROM ingest_runs WHERE status = 'RUNNING'"));
      }
      try (Store s = Stores.open(killedSettings);
          IngestService ingest = new IngestService(killedSettings, s)) {
        IngestReport rerun = ingest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL);
        assertEquals("COMPLETED", rerun.status());
        assertEquals(1, s.queryLong("SELECT COUNT(*) FROM ingest_runs WHERE status = 'ABORTED'"));
        Settings cleanSettings = TestStores.settings(cleanDb, work, Map.of());
        try (Store c = Stores.open(cleanSettings);
            IngestService cleanIngest = new IngestService(cleanSettings, c)) {
          cleanIngest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL);
          assertEquals(fingerprint(c), fingerprint(s));
        }
      }
    } finally {
      TestStores.dropMysql(killedDb);
      TestStores.dropMysql(cleanDb);
    }
  }

  private Process startIngest(String db) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dvaluetier.home=" + TestStores.home(),
            "io.valuetier.cli.Main",
            "ingest",
            "--transactions",
            FILE.toString(),
            "--format",
            "online-retail",
            "--db",
            db);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("VALUETIER_DB_USER", TestStores.mysqlUser());
    pb.environment().put("VALUETIER_DB_PASSWORD", TestStores.mysqlPassword());
    pb.environment().put("VALUETIER_DEADLETTER_URI", "file:" + work.resolve("deadletter"));
    pb.redirectOutput(work.resolve("killed-ingest.log").toFile());
    return pb.start();
  }
}
