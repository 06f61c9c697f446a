package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.StoreId;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file destination's folder of a decision run belongs to one run of one store: a folder that already holds other
 * decisions under the run's name is refused with a message that names it, and nothing is appended to it; the same
 * decisions written again (a delivery record lost) are still recognised and not written twice. On H2 and MariaDB.
 */
class ActionFolderKeyingTest {
  @TempDir Path work;

  private Settings settings(String url) {
    return TestStores.settings(url, work, Map.of(
        "valuetier.publish.folder", work.resolve("out").toString(),
        "valuetier.errors.max-redeliveries", "1",
        "valuetier.errors.redelivery-delay-ms", "10"));
  }

  /** Ten actions of the same decision ids as another store's, for other customers at another moment. */
  private static List<ActionRecord> actions(String customerPrefix, String decidedAt) {
    List<ActionRecord> list = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      list.add(new ActionRecord(Long.toString((1L << 32) + i), customerPrefix + i, "Gold", "VIP_CALL", "PHONE", "call",
          1, new BigDecimal("100.00"), "top value", "rs-1", "gbt-v1", Instant.parse(decidedAt), false));
    }
    return list;
  }

  private void anotherStoresRunInTheFolderIsRefused(String url) throws Exception {
    Settings s = settings(url);
    try (Store store = Stores.open(s)) {
      String run = StoreId.of(store).shortId() + "/run-1";
      Path folder = work.resolve("out").resolve(run);
      Files.createDirectories(folder);
      // what another database of the same identity (copied, or created again) published as its run 1
      StringBuilder other = new StringBuilder();
      for (ActionRecord a : actions("other-", "2026-01-01T08:00:00Z")) {
        other.append(io.valuetier.util.Json.write(a)).append('\n');
      }
      Files.writeString(folder.resolve("actions.jsonl"), other);
      byte[] before = Files.readAllBytes(folder.resolve("actions.jsonl"));

      try (PublishService p = new PublishService(s, store)) {
        PublishService.PublishReport r = p.publish(run, actions("c", "2026-12-03T09:00:00Z").iterator());
        assertTrue(r.failed(), "an error, not a skip");
        assertTrue(r.failure().contains(folder.toString()) && r.failure().contains("already holds other decisions"),
            r.failure());
        assertTrue(r.failure().contains("customer other-0"), r.failure());
        assertEquals(0, r.delivered());
        assertEquals(0, r.alreadyDelivered());
      }
      assertArrayEquals(before, Files.readAllBytes(folder.resolve("actions.jsonl")), "nothing appended");
      assertTrue(Files.notExists(folder.resolve("VIP_CALL.csv")));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM action_deliveries"), "nothing recorded as delivered");
    }
  }

  @Test
  void aFolderHoldingAnotherStoresRunIsRefusedOnH2() throws Exception {
    anotherStoresRunInTheFolderIsRefused(TestStores.h2Url(work));
  }

  @Test
  void aFolderHoldingAnotherStoresRunIsRefusedOnMariaDb() throws Exception {
    String url = TestStores.createMysqlDatabase("vt_folder");
    try {
      anotherStoresRunInTheFolderIsRefused(url);
    } finally {
      TestStores.dropMysql(url);
    }
  }

  @Test
  void theSameDecisionsWrittenAgainAfterALostDeliveryRecordAreNotWrittenTwice() throws Exception {
    Settings s = settings(TestStores.h2Url(work));
    try (Store store = Stores.open(s)) {
      String run = StoreId.of(store).shortId() + "/run-1";
      try (PublishService p = new PublishService(s, store)) {
        assertNull(p.publish(run, actions("c", "2026-12-03T09:00:00Z").iterator()).failure());
      }
      store.execute("DELETE FROM action_deliveries");
      try (PublishService p = new PublishService(s, store)) {
        PublishService.PublishReport again = p.publish(run, actions("c", "2026-12-03T09:00:00Z").iterator());
        assertNull(again.failure());
      }
      assertEquals(10, Files.readAllLines(work.resolve("out").resolve(run).resolve("actions.jsonl")).size());
    }
  }

  @Test
  void twoStoresGetTwoFoldersForTheirRunOfTheSameNumberAndKeepTheirIdentity() throws Exception {
    Settings a = settings(TestStores.h2Url(work.resolve("a")));
    Settings b = settings(TestStores.h2Url(work.resolve("b")));
    String runA;
    try (Store storeA = Stores.open(a); Store storeB = Stores.open(b)) {
      runA = StoreId.of(storeA).shortId() + "/run-1";
      String runB = StoreId.of(storeB).shortId() + "/run-1";
      assertTrue(!runA.equals(runB), runA);
      try (PublishService p = new PublishService(a, storeA)) {
        assertEquals(10, p.publish(runA, actions("a", "2026-12-03T09:00:00Z").iterator()).delivered());
      }
      try (PublishService p = new PublishService(b, storeB)) {
        PublishService.PublishReport r = p.publish(runB, actions("b", "2026-12-03T10:00:00Z").iterator());
        assertEquals(10, r.delivered(), "none skipped for ids the other store used");
        assertEquals(work.resolve("out").resolve(runB).toString(), r.folder());
      }
    }
    try (Store again = Stores.open(a)) {
      assertEquals(runA, StoreId.of(again).shortId() + "/run-1", "the identity is kept across openings");
    }
  }
}
