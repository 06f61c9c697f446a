package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the store fails in the middle of an ingest, the failing slice is retried, then dead-lettered with its
 * original lines, the run is reported FAILED (not silently completed), and a re-run completes with the same data
 * as a clean run.
 */
@Tag("slow")
class StoreFailureIngestTest {
  static final Path FILE = TestStores.home().resolve("data/sample/online_retail.csv.gz");

  @TempDir Path work;

  @Test
  void aStoreFailureMidwayDeadLettersTheSliceFailsTheRunAndARerunCompletesIt() throws Exception {
    String db = TestStores.createMysqlDatabase("vt_fail");
    try {
      Settings s =
          TestStores.settings(
              db, work, Map.of("valuetier.errors.max-redeliveries", "2", "valuetier.errors.redelivery-delay-ms", "50"));
      try (Store store = Stores.open(s);
          IngestService ingest = new IngestService(s, store)) {
        CompletableFuture<IngestReport> running =
            CompletableFuture.supplyAsync(() -> ingest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL));
        while (store.queryLong("SELECT COUNT(*) FROM transactions") == 0 && !running.isDone()) {
          Thread.sleep(10);
        }
        store.execute("RENAME TABLE transactions TO transactions_away");
        IngestReport failed = running.get();
        store.execute("RENAME TABLE transactions_away TO transactions");

        assertEquals("FAILED", failed.status());
        assertTrue(failed.failure().contains("transactions"), failed.failure());
        assertEquals(1, store.queryLong("SELECT COUNT(*) FROM ingest_runs WHERE status = 'FAILED'"));
        List<Path> letters;
        try (Stream<Path> files = Files.list(work.resolve("deadletter"))) {
          letters = files.toList();
        }
        assertTrue(!letters.isEmpty(), "the failed slice is in the dead-letter folder");
        String letter = Files.readString(letters.getFirst());
        assertTrue(letter.lines().count() >= 1000 && letter.contains(",United Kingdom"),
            "the dead letter holds the slice's original lines");

        IngestReport rerun = ingest.ingestTransactions(FILE, TransactionFormat.ONLINE_RETAIL);
        assertEquals("COMPLETED", rerun.status());
        assertEquals(401_564, rerun.store().transactions());
        assertEquals(140_345, rerun.store().rejected());
      }
    } finally {
      TestStores.dropMysql(db);
    }
  }
}
