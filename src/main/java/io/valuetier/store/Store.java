package io.valuetier.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
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
import javax.sql.DataSource;

/**
 * The relational store: the embedded H2 default (a file under {@code data/}, created on first use) or MySQL/MariaDB
 * through Connector/J, with the schema migrated by Flyway on open. Both behave the same to callers; the few statements
 * whose syntax differs ask {@link #dialect()}.
 */
public final class Store implements AutoCloseable {
  /** The SQL flavour of the connected server. */
  public enum Dialect { H2, MYSQL }

  /**
   * How connections to MySQL/MariaDB are secured: Connector/J's {@code sslMode} (DISABLED, PREFERRED, REQUIRED,
   * VERIFY_CA or VERIFY_IDENTITY; VERIFY_IDENTITY is the production setting) and the trust store that holds the CA of
   * the server's certificate. A value already in the URL wins over these.
   */
  public record Tls(String sslMode, String trustStoreUrl, String trustStorePassword) {
    /** Connector/J's default behaviour: TLS when the server offers it, its certificate not checked. */
    public static final Tls PREFERRED = new Tls("PREFERRED", null, null);
  }

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String url;
  private final String bulkUrl;
  private final String user;
  private final String password;
  private final int bulkPoolSize;
  private volatile HikariDataSource bulkDataSource;
  private final ErasedCustomers erased = new ErasedCustomers(this);

  private Store(HikariDataSource dataSource, Dialect dialect, String url, String bulkUrl, String user,
      String password, int bulkPoolSize) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.url = url;
    this.bulkUrl = bulkUrl;
    this.user = user;
    this.password = password;
    this.bulkPoolSize = bulkPoolSize;
  }

  /** The default embedded database of an installation. */
  public static String defaultUrl(Path home) {
    Path file = home.resolve("data").resolve("valuetier").toAbsolutePath().normalize();
    return "jdbc:h2:file:" + file + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  /** Opens the store at {@code url}, creating and migrating the schema as needed. */
  public static Store open(String url, String user, String password, int poolSize) {
    return open(url, user, password, poolSize, Tls.PREFERRED);
  }

  /**
   * Opens the store at {@code url} with the given TLS settings for MySQL/MariaDB. The pool every part of the
   * application uses has {@code LOAD DATA LOCAL} switched off; only {@link #bulkConnection} (ingest's bulk writes)
   * has it on.
   */
  public static Store open(String url, String user, String password, int poolSize, Tls tls) {
    Dialect dialect = JdbcUrls.dialectOf(url);
    String jdbcUrl = dialect == Dialect.MYSQL ? JdbcUrls.withMysqlDefaults(url, tls, false) : JdbcUrls.withH2Defaults(url);
    // allowLoadLocalInfile=false in the URL switches the bulk load off too (writes then use multi-row INSERTs)
    boolean bulkAllowed = !url.matches("(?is).*[?&]allowLoadLocalInfile=false.*");
    String bulkUrl = dialect == Dialect.MYSQL ? JdbcUrls.withMysqlDefaults(url, tls, bulkAllowed) : null;
    if (dialect == Dialect.H2 && jdbcUrl.startsWith("jdbc:h2:file:")) {
      String file = jdbcUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
      try {
        Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new StoreException("cannot create the data folder for " + file + ": " + e.getMessage(), e);
      }
    }
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    cfg.setMaximumPoolSize(poolSize);
    cfg.setMinimumIdle(1);
    cfg.setPoolName("valuetier-store");
    cfg.setConnectionTimeout(10_000);
    cfg.setInitializationFailTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + redact(url) + ": " + redact(rootMessage(e)), e);
    }
    try {
      Migrations.migrate(jdbcUrl, user, password, dialect, ds);
    } catch (RuntimeException | SQLException e) {
      ds.close();
      throw new StoreException("cannot migrate the schema of " + redact(url) + ": " + redact(rootMessage(e)), e);
    }
    return new Store(ds, dialect, url, bulkUrl, user, password, Math.max(1, Math.min(poolSize, 4)));
  }

  /** The URL (or a message quoting it) without a password, token or other secret, for messages and logs. */
  public static String redact(String url) {
    return Redaction.text(url);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * The most parameters to put in one {@code IN} list. H2 checks each row its index hands back against a list of
   * parameters by walking the list, so a list of n costs about n² comparisons: the rows of 200,000 customers read in
   * lists of 1,000 took 6.5-8.4 s, in lists of 100 1.0-1.4 s and in lists of 20 0.5-1.0 s (H2 2.5, 2 cores). MySQL and
   * MariaDB sort the list once; there the round trips cost, and lists stay at 500.
   */
  public int inList() {
    return inList(dialect);
  }

  /** {@link #inList()} of the database behind a connection. */
  public static int inList(Connection c) throws SQLException {
    return inList(c.getMetaData().getDatabaseProductName().startsWith("H2") ? Dialect.H2 : Dialect.MYSQL);
  }

  private static int inList(Dialect d) {
    return d == Dialect.H2 ? 32 : 500;
  }

  /** The URL the store was opened with, without a password. */
  public String describe() {
    return redact(url);
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** The customers erased on request, whose rows ingest refuses. */
  public ErasedCustomers erasedCustomers() {
    return erased;
  }

  /**
   * A connection that may run {@code LOAD DATA LOCAL INFILE} (MySQL/MariaDB only), from a small pool of its own opened
   * on first use: for ingest's bulk writes and nothing else.
   */
  public Connection bulkConnection() throws SQLException {
    if (bulkUrl == null) {
      return connection();
    }
    HikariDataSource ds = bulkDataSource;
    if (ds == null) {
      synchronized (this) {
        ds = bulkDataSource;
        if (ds == null) {
          HikariConfig cfg = new HikariConfig();
          cfg.setJdbcUrl(bulkUrl);
          if (user != null) {
            cfg.setUsername(user);
          }
          if (password != null) {
            cfg.setPassword(password);
          }
          cfg.setMaximumPoolSize(bulkPoolSize);
          cfg.setMinimumIdle(0);
          cfg.setPoolName("valuetier-bulk-load");
          cfg.setConnectionTimeout(10_000);
          try {
            ds = new HikariDataSource(cfg);
          } catch (RuntimeException e) {
            throw new SQLException("cannot open the bulk-load connection to " + redact(url) + ": "
                + redact(rootMessage(e)), e);
          }
          bulkDataSource = ds;
        }
      }
    }
    return ds.getConnection();
  }

  /**
   * {@code INSERT} that skips rows whose primary key is already present: the base of idempotent ingest. H2 accepts
   * MySQL's syntax in {@code MODE=MySQL}.
   */
  public static String insertIgnore(String table, String columns) {
    int arity = columns.split(",").length;
    return "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + "?,".repeat(arity - 1) + "?)";
  }

  /** A single {@code long} from a query such as {@code SELECT COUNT(*) ...}. */
  public long queryLong(String sql, Object... args) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A single text value from a query, or null when there is no row. */
  public String queryString(String sql, Object... args) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Reads one row of a result set; the cursor is already on it. */
  @FunctionalInterface
  public interface RowReader {
    void accept(ResultSet rs) throws SQLException;
  }

  /**
   * Runs a query and hands each of its rows to {@code row}, streamed ({@link #stream}).
   *
   * @param what what the rows are, for the error message ("cannot read {what}: {sql}: {cause}")
   */
  public void forEachRow(String what, String sql, RowReader row, Object... args) {
    try {
      stream(sql, row, args);
    } catch (SQLException e) {
      throw new StoreException("cannot read " + what + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Work done on a connection inside one transaction. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a connection of the pool: committed when it returns, rolled back when it
   * throws anything; the connection goes back to the pool in auto-commit mode.
   */
  public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
    try (Connection c = connection()) {
      return inTransaction(c, work);
    }
  }

  /**
   * Runs {@code work} in one transaction on the caller's connection (for example a bulk-load one): committed when it
   * returns, rolled back when it throws anything, and auto-commit switched back on either way.
   */
  public static <T> T inTransaction(Connection c, TransactionWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    T result;
    try {
      result = work.run(c);
      c.commit();
    } catch (Throwable e) {
      try {
        c.rollback();
        c.setAutoCommit(true);
      } catch (SQLException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    c.setAutoCommit(true);
    return result;
  }

  /**
   * Reads every row of {@code sql} (parameters {@code args}) one at a time on a connection of its own, in one
   * transaction, never the whole result in memory or on disk: Connector/J's row-by-row fetch on MySQL, lazy execution
   * on H2 (otherwise H2 first copies a large result to a temporary file: a third of the read stage at 300k customers).
   * On H2 the transaction is REPEATABLE READ: at READ COMMITTED H2 releases a lazy query's snapshot when the statement
   * returns its first row, and its background writer may then drop file chunks the query still reads ("Chunk N not
   * found", H2 issue 4142: it ended a 1M run's report). Returns the rows read.
   */
  public long stream(String sql, RowReader reader, Object... args) throws SQLException {
    try (Connection c = connection()) {
      int isolation = c.getTransactionIsolation();
      lazy(c, true, isolation);
      try {
        return inTransaction(c, x -> {
          long n = 0;
          try (PreparedStatement ps =
              c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            ps.setFetchSize(dialect == Dialect.MYSQL ? Integer.MIN_VALUE : 10_000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                reader.accept(rs);
                n++;
              }
            }
          }
          return n;
        });
      } finally {
        lazy(c, false, isolation); // the pool hands the connection out again
      }
    }
  }

  private void lazy(Connection c, boolean on, int isolation) throws SQLException {
    if (dialect == Dialect.H2) {
      try (Statement st = c.createStatement()) { st.execute("SET LAZY_QUERY_EXECUTION " + on); }
      c.setTransactionIsolation(on ? Connection.TRANSACTION_REPEATABLE_READ : isolation);
    }
  }

  /** Runs one statement outside a transaction of the caller's. */
  public int execute(String sql, Object... args) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("statement failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Drops every table of this schema: for tests that need an empty MySQL database. */
  public static void dropAll(String url, String user, String password) {
    if (JdbcUrls.dialectOf(url) != Dialect.MYSQL) {
      throw new StoreException("dropAll is for MySQL test databases only");
    }
    try (Connection c = DriverManager.getConnection(JdbcUrls.withMysqlDefaults(url), user, password);
        Statement s = c.createStatement()) {
      s.execute("SET FOREIGN_KEY_CHECKS=0");
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS `" + t + "`");
      }
      s.execute("SET FOREIGN_KEY_CHECKS=1");
    } catch (SQLException e) {
      throw new StoreException("cannot empty " + redact(url) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    HikariDataSource bulk = bulkDataSource;
    if (bulk != null) {
      bulk.close();
    }
    dataSource.close();
  }
}
