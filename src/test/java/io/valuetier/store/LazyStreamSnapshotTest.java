package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed read on H2 reads one consistent version of the table to its last row while other connections rewrite it
 * and H2's background writer drops the chunks they left behind. At READ COMMITTED, H2 released a lazy query's
 * snapshot once the statement had started, and the read failed with "Chunk N not found" (H2 issue 4142; it ended a
 * 1M-customer run's report). {@code RETENTION_TIME=0} lets H2 drop a dead chunk at once instead of after 45 s, so the
 * failure, when the snapshot is not held, shows within the first read (it did in every read, 46 of 46, in the
 * reproduction this test was made from).
 */
class LazyStreamSnapshotTest {
  private static final int ROWS = 20_000;

  @Test
  void aSlowStreamedReadSeesEveryRowOfItsVersionWhileTheTableIsRewritten(@TempDir Path dir) throws Exception {
    try (Store store = Store.open(TestStores.h2Url(dir) + ";RETENTION_TIME=0", "sa", "", 4)) {
      store.execute("CREATE TABLE rewritten (id INT PRIMARY KEY, v VARCHAR(400), n INT)");
      try (Connection c = store.connection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO rewritten VALUES (?, ?, 0)")) {
        for (int i = 0; i < ROWS; i++) {
          ps.setInt(1, i);
          ps.setString(2, "x".repeat(200) + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Exception> writerFailed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (Connection c = store.connection();
            PreparedStatement up = c.prepareStatement(
                "UPDATE rewritten SET n = n + 1, v = CONCAT(SUBSTRING(v, 1, 200), ?) WHERE id BETWEEN ? AND ?")) {
          for (int round = 0; !stop.get(); round++) {
            for (int from = 0; from < ROWS && !stop.get(); from += 5_000) {
              up.setString(1, "r" + round);
              up.setInt(2, from);
              up.setInt(3, from + 4_999);
              up.executeUpdate();
            }
          }
        } catch (Exception e) {
          writerFailed.set(e);
        }
      });
      writer.start();
      List<Long> reads = new ArrayList<>();
      try {
        for (int read = 0; read < 3; read++) {
          long[] ids = {0, 0};
          reads.add(store.stream("SELECT id, v, n FROM rewritten ORDER BY id", rs -> {
            ids[0] += rs.getInt(1);
            if (++ids[1] % 20 == 0) {
              sleep(); // a slow reader: the writer rewrites the table many times over during one read
            }
          }));
          assertEquals((long) ROWS * (ROWS - 1) / 2, ids[0], "every id once, in read " + read);
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertNull(writerFailed.get());
      assertEquals(List.of((long) ROWS, (long) ROWS, (long) ROWS), reads);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
