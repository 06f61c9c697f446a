package io.valuetier.testing;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real databases for tests: a fresh embedded H2 file in a temporary folder, a private in-memory H2 store, or a fresh,
 * uniquely named database on the MariaDB/MySQL server of the machine (127.0.0.1:3306, root, empty password; override with
 * VALUETIER_TEST_MYSQL_URL, VALUETIER_TEST_MYSQL_USER, VALUETIER_TEST_MYSQL_PASSWORD). When the server cannot be
 * reached the test fails with the reason: MySQL tests are never skipped silently.
 */
public final class TestStores {
  private TestStores() {}

  /** The repository checkout: its config/, routes/, dmn/, rules/ and data/sample are used as they are. */
  public static Path home() {
    String h = System.getProperty("valuetier.home");
    return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
  }

  public static String h2Url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("valuetier").toAbsolutePath()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  /** A private in-memory H2 store in MySQL mode, kept until closed. */
  public static Store h2() {
    String url = "jdbc:h2:mem:test-" + UUID.randomUUID()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1";
    return Store.open(url, "sa", "", 4);
  }

  /** A store on a database made by {@link #createMysqlDatabase}. */
  public static Store openMysql(String url) {
    return Store.open(url, mysqlUser(), mysqlPassword(), 4);
  }

  /** The repository's settings with the database and the dead-letter folder pointed at test locations. */
  public static Settings settings(String dbUrl, Path work, Map<String, String> more) {
    Map<String, String> o = new HashMap<>(more);
    o.put("valuetier.db.url", dbUrl);
    if (dbUrl.startsWith("jdbc:mysql:")) {
      o.put("valuetier.db.user", mysqlUser());
      o.put("valuetier.db.password", mysqlPassword());
    }
    o.putIfAbsent(
        "valuetier.deadletter.uri",
        "file:" + work.resolve("deadletter").toAbsolutePath() + "?fileName=${routeId}-${exchangeId}.txt");
    return Settings.load(home(), null, Map.of(), o);
  }

  public static String mysqlUser() {
    return env("VALUETIER_TEST_MYSQL_USER", "root");
  }

  public static String mysqlPassword() {
    return env("VALUETIER_TEST_MYSQL_PASSWORD", "");
  }

  public static String mysqlServer() {
    String base = env("VALUETIER_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/");
    return base.endsWith("/") ? base : base + "/";
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A new empty database on the MySQL server; drop it with {@link #dropMysql}. */
  public static String createMysqlDatabase(String prefix) {
    String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    try (Connection c = DriverManager.getConnection(mysqlServer(), mysqlUser(), mysqlPassword());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new AssertionError(
          "the MariaDB/MySQL server at " + mysqlServer() + " is needed by this test and cannot be reached ("
              + e.getMessage() + "). Start it (see .ci/run) or set VALUETIER_TEST_MYSQL_URL.",
          e);
    }
    return mysqlServer() + name;
  }

  public static void dropMysql(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1).split("\\?")[0];
    try (Connection c = DriverManager.getConnection(mysqlServer(), mysqlUser(), mysqlPassword());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + name + "`");
    } catch (SQLException e) {
      throw new AssertionError("cannot drop test database " + name + ": " + e.getMessage(), e);
    }
  }

  /** Copies the folder {@code from} with everything below it to {@code to} (created as needed). */
  public static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(t);
        } else {
          java.nio.file.Files.copy(p, t);
        }
      }
    }
  }

  /** A TCP port free on this machine at the moment of asking. */
  public static int freePort() {
    try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
      return ss.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
