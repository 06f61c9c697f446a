package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers of a distributed run open the same fresh MariaDB database at the same moment. Unserialized, a second Flyway
 * run could find the first one's history table created but still empty and refuse it ("Unable to baseline schema
 * history table ... as it already exists, and is empty"): the worker died (CI, DistributedBatchTest). A process that
 * opens the store while another one migrates must wait for it, then find the schema current.
 */
class ConcurrentMigrationTest {
  private String url;

  @AfterEach
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
    }
  }

  private static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, TestStores.mysqlUser(), TestStores.mysqlPassword());
  }

  @Test
  void aProcessOpeningTheStoreWaitsForAnotherOnesMigration() throws Exception {
    url = TestStores.createMysqlDatabase("vt_migrate");
    try (Connection other = connect(url)) {
      // the other process: takes the migration lock and is half-way (its history table exists, still empty)
      String lock = Migrations.lockName(other);
      try (PreparedStatement ps = other.prepareStatement("SELECT GET_LOCK(?, 5)")) {
        ps.setString(1, lock);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next() && rs.getInt(1) == 1, "the test holds the lock");
        }
      }
      CompletableFuture<String> opened = CompletableFuture.supplyAsync(() -> {
        try (Store store = Store.open(url, TestStores.mysqlUser(), TestStores.mysqlPassword(), 1)) {
          return store.dialect().name();
        }
      });
      Thread.sleep(1_500);
      assertFalse(opened.isDone(), "the store must not open while another process migrates");
      assertEquals(0, tables(other), "the store must not touch the schema while another process migrates it");
      Migrations.flyway(url, TestStores.mysqlUser(), TestStores.mysqlPassword()).migrate();
      try (PreparedStatement ps = other.prepareStatement("SELECT RELEASE_LOCK(?)")) {
        ps.setString(1, lock);
        ps.execute();
      }
      assertEquals("MYSQL", opened.get(60, TimeUnit.SECONDS), "the store opens once the other migration is done");
    }
    assertMigratedOnce(url);
  }

  @Test
  void processesOpeningAFreshDatabaseTogetherAllSucceed() throws Exception {
    url = TestStores.createMysqlDatabase("vt_migrate");
    int openers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(openers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> opened = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        opened.add(pool.submit(() -> {
          start.await();
          try (Store store = Store.open(url, TestStores.mysqlUser(), TestStores.mysqlPassword(), 1)) {
            return store.dialect().name();
          }
        }));
      }
      start.countDown();
      for (Future<String> f : opened) {
        assertEquals("MYSQL", f.get(), "every opener gets a store");
      }
    } finally {
      pool.shutdownNow();
    }
    assertMigratedOnce(url);
  }

  private static int tables(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")) {
      return rs.next() ? rs.getInt(1) : -1;
    }
  }

  private static void assertMigratedOnce(String url) throws Exception {
    long files;
    try (var list = Files.list(Path.of(ConcurrentMigrationTest.class.getResource("/db/migration").toURI()))) {
      files = list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
    try (Connection c = connect(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), SUM(success = 0)"
            + " FROM flyway_schema_history WHERE version IS NOT NULL AND type <> 'BASELINE'")) {
      assertTrue(rs.next());
      assertEquals(files, rs.getInt(1), "every migration ran");
      assertEquals(rs.getInt(1), rs.getInt(2), "each migration is applied once");
      assertEquals(0, rs.getInt(3), "no failed migration");
    }
  }
}
