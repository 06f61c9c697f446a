package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the store connects to the real MariaDB: LOAD DATA LOCAL only on the bulk-load connection, TLS settings that
 * reach the driver, and no password in a message, a log line or a description of the store.
 */
class StoreConnectionsOnMariaDbTest {
  private static final String PASSWORD = "Pw-SECRET-7f3a9";
  @TempDir Path work;
  private String url;
  private String user;

  private String url() {
    if (url == null) {
      url = TestStores.createMysqlDatabase("vt_conn");
    }
    return url;
  }

  @AfterEach
  void drop() throws SQLException {
    if (url != null) {
      TestStores.dropMysql(url);
      url = null;
    }
    if (user != null) {
      try (Connection c = admin(); Statement s = c.createStatement()) {
        s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
      }
    }
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(TestStores.mysqlServer(), TestStores.mysqlUser(), TestStores.mysqlPassword());
  }

  /** A user with a password, allowed on the test database. */
  private String userWithPassword() throws SQLException {
    String db = url().substring(url().lastIndexOf('/') + 1);
    user = "vt_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
      s.execute("GRANT ALL ON `" + db + "`.* TO '" + user + "'@'%'");
    }
    return user;
  }

  private static boolean allowsLocalInfile(Connection c) throws SQLException {
    return c.unwrap(JdbcConnection.class).getPropertySet().getBooleanProperty(PropertyKey.allowLoadLocalInfile)
        .getValue();
  }

  private static final List<String> ROWS = List.of("a", "b", "c");

  @Test
  void thePoolRefusesLoadDataLocalEvenWhenTheUrlAsksForIt() throws Exception {
    try (Store store = Store.open(url() + "?allowLoadLocalInfile=true", "root", "", 2)) {
      store.execute("CREATE TABLE probe (v VARCHAR(8))");
      try (Connection c = store.connection()) {
        assertFalse(allowsLocalInfile(c));
        MysqlBulkLoad load = new MysqlBulkLoad("probe", "v");
        assertFalse(load.load(c, ROWS, (out, v) -> out.add(v)), "the server was not allowed to read a local stream");
        assertFalse(load.supported());
      }
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM probe"));
    }
  }

  private static int intProperty(Connection c, PropertyKey key) throws SQLException {
    return c.unwrap(JdbcConnection.class).getPropertySet().getIntegerProperty(key).getValue();
  }

  @Test
  void parsedStatementsUpToFourThousandCharactersAreCachedUnlessTheUrlSetsItsOwnLimit() throws Exception {
    try (Store store = Store.open(url(), "root", "", 2); Connection c = store.connection()) {
      assertTrue(c.unwrap(JdbcConnection.class).getPropertySet().getBooleanProperty(PropertyKey.cachePrepStmts)
          .getValue());
      assertEquals(4096, intProperty(c, PropertyKey.prepStmtCacheSqlLimit), "Connector/J's default is 256");
      assertEquals(250, intProperty(c, PropertyKey.prepStmtCacheSize));
    }
    try (Store store = Store.open(url() + "?prepStmtCacheSqlLimit=1024", "root", "", 2);
        Connection c = store.connection()) {
      assertEquals(1024, intProperty(c, PropertyKey.prepStmtCacheSqlLimit), "the URL's own setting wins");
    }
  }

  @Test
  void theBulkLoadConnectionLoadsFromMemory() throws Exception {
    try (Store store = Store.open(url(), "root", "", 2)) {
      store.execute("CREATE TABLE probe (v VARCHAR(8))");
      try (Connection c = store.bulkConnection()) {
        assertTrue(allowsLocalInfile(c));
        assertTrue(new MysqlBulkLoad("probe", "v").load(c, ROWS, (out, v) -> out.add(v)));
      }
      assertEquals(3, store.queryLong("SELECT COUNT(*) FROM probe"));
    }
  }

  @Test
  void allowLoadLocalInfileFalseInTheUrlSwitchesTheBulkLoadOffToo() throws Exception {
    try (Store store = Store.open(url() + "?allowLoadLocalInfile=false", "root", "", 2);
        Connection c = store.bulkConnection()) {
      assertFalse(allowsLocalInfile(c));
    }
  }

  @Test
  void noConnectionAsksForTheServersPublicKeyByDefault() throws Exception {
    try (Store store = Store.open(url(), "root", "", 2);
        Connection c = store.connection();
        Connection b = store.bulkConnection()) {
      for (Connection x : List.of(c, b)) {
        assertFalse(x.unwrap(JdbcConnection.class).getPropertySet()
            .getBooleanProperty(PropertyKey.allowPublicKeyRetrieval).getValue());
      }
    }
  }

  @Test
  void theSslModeSettingReachesTheDriverAndVerifyIdentityRefusesAServerWithoutACheckedCertificate() {
    Settings s = TestStores.settings(url(), work, Map.of("valuetier.db.ssl-mode", "VERIFY_IDENTITY"));
    StoreException e = assertThrows(StoreException.class, () -> Stores.open(s).close());
    assertTrue(e.getMessage().startsWith("cannot connect to " + url()), e.getMessage());
  }

  @Test
  void anUnknownSslModeIsRefusedNamingTheSetting() {
    Settings s = TestStores.settings(url(), work, Map.of("valuetier.db.ssl-mode", "MAYBE"));
    ConfigException e = assertThrows(ConfigException.class, () -> Stores.open(s));
    assertTrue(e.getMessage().contains("valuetier.db.ssl-mode"), e.getMessage());
  }

  @Test
  void theDatabasePasswordIsInNoLogLineMessageOrDescription() throws Exception {
    String name = userWithPassword();
    try (CapturedLog log = new CapturedLog(Level.DEBUG, Level.INFO)) {
      Settings s = TestStores.settings(url(), work, Map.of());
      Settings withUser = s.with(Map.of("valuetier.db.user", name, "valuetier.db.password", PASSWORD));
      try (Store store = Stores.open(withUser)) {
        assertEquals(1, store.queryLong("SELECT 1"));
        try (Connection c = store.bulkConnection()) {
          assertTrue(c.isValid(2));
        }
      }
      String inUrl = url() + "?user=" + name + "&password=" + PASSWORD;
      try (Store store = Store.open(inUrl, null, null, 2)) {
        assertFalse(store.describe().contains(PASSWORD), store.describe());
      }
      String wrong = url() + "?user=" + name + "&password=" + PASSWORD + "x";
      StoreException e = assertThrows(StoreException.class, () -> Store.open(wrong, null, null, 1));
      assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
      assertTrue(log.events() > 0, "the log was captured");
      assertFalse(log.text().contains(PASSWORD), log.text());
    }
  }
}
