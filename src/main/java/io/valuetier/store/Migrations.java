package io.valuetier.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the schema with Flyway, one process at a time. Workers of a distributed run start together on a fresh
 * MySQL/MariaDB database; two Flyway runs there race on the empty schema (the second finds the history table the
 * first has just created, still empty, and refuses to baseline it). On MySQL/MariaDB every migration therefore runs
 * under a named server lock ({@code GET_LOCK}) per database, so the second process waits and then finds the schema
 * current. An embedded H2 file is held by one process, so it needs no lock.
 */
final class Migrations {
  /** How long a process waits for another one's migration before it gives up. */
  static final int LOCK_WAIT_SECONDS = 300;

  private Migrations() {}

  /**
   * Migrates the schema at {@code jdbcUrl}. {@code pool} gives the connection that holds the lock (Flyway opens its
   * own connections: it needs two at once, and a pool of one would wait on itself).
   */
  static void migrate(String jdbcUrl, String user, String password, Store.Dialect dialect, DataSource pool)
      throws SQLException {
    Flyway flyway = flyway(jdbcUrl, user, password);
    if (dialect != Store.Dialect.MYSQL) {
      flyway.migrate();
      return;
    }
    try (Connection c = pool.getConnection()) {
      String name = lockName(c);
      lock(c, name);
      try {
        flyway.migrate();
      } finally {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
          ps.setString(1, name);
          ps.execute();
        }
      }
    }
  }

  /** Flyway on the project's migrations, without the lock. */
  static Flyway flyway(String jdbcUrl, String user, String password) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  /** The lock's name: per database, at most 64 characters (the server's limit). */
  static String lockName(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT DATABASE()"); ResultSet rs = ps.executeQuery()) {
      String db = rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
      String name = "valuetier.migrate." + db;
      return name.length() <= 64 ? name : "valuetier.migrate." + Integer.toHexString(db.hashCode()) + "."
          + db.substring(0, 64 - 28);
    }
  }

  private static void lock(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
      ps.setString(1, name);
      ps.setInt(2, LOCK_WAIT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new SQLException("another process has been migrating this database for more than "
              + LOCK_WAIT_SECONDS + " s (server lock " + name + " still held)");
        }
      }
    }
  }
}
