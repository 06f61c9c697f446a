package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.fail;

import io.valuetier.store.Store;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** Real databases for tests: a private in-memory H2, or a uniquely named database on the local MariaDB. */
public final class TestStores {
  /** The MariaDB server of these machines (root, empty password). */
  public static final String MARIADB = "jdbc:mysql://127.0.0.1:3306/";

  private TestStores() {}

  public static Store h2() {
    String url = "jdbc:h2:mem:decide-" + UUID.randomUUID()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1";
    return Store.open(url, "sa", "", 4);
  }

  /** Creates database {@code name} on MariaDB; fails (not skips) the test when the server cannot be reached. */
  public static String createMariaDb(String prefix) {
    String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(MARIADB + "?allowPublicKeyRetrieval=true&sslMode=PREFERRED",
        "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + name + "`");
    } catch (SQLException e) {
      fail("MariaDB at 127.0.0.1:3306 (user root, empty password) is required by this test and is not reachable: "
          + e.getMessage() + ". Start it (see .ci/run) and run again.");
    }
    return name;
  }

  public static Store openMariaDb(String database) {
    return Store.open(MARIADB + database, "root", "", 4);
  }

  public static void dropMariaDb(String database) {
    try (Connection c = DriverManager.getConnection(MARIADB + "?allowPublicKeyRetrieval=true&sslMode=PREFERRED",
        "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + database + "`");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + database + ": " + e.getMessage(), e);
    }
  }
}
