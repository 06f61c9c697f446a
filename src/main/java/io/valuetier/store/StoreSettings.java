package io.valuetier.store;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code valuetier.db.*} settings, checked when read: a bad value stops the run with the key, the value and where
 * it came from. {@link #toString} leaves the passwords out.
 *
 * @param url the JDBC URL ({@code valuetier.db.url}; empty: the embedded H2 database under the installation folder)
 * @param user the database user, or null
 * @param password the database password, or null
 * @param poolSize connections in the pool
 * @param tls TLS of MySQL/MariaDB connections ({@code ssl-mode}, {@code trust-store}, {@code trust-store-password})
 */
public record StoreSettings(String url, String user, String password, int poolSize, Store.Tls tls) {

  /** The TLS modes of Connector/J. */
  public static final Set<String> SSL_MODES = Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");

  /** Reads and checks the settings. */
  public static StoreSettings from(Settings s) {
    return new StoreSettings(
        s.get("valuetier.db.url", Store.defaultUrl(s.home())),
        s.get("valuetier.db.user", null),
        s.get("valuetier.db.password", null),
        s.intValue("valuetier.db.pool-size", 1, 64),
        tls(s));
  }

  /** The TLS settings of MySQL/MariaDB connections; a mode other than Connector/J's five is refused by name. */
  static Store.Tls tls(Settings s) {
    String mode = s.get("valuetier.db.ssl-mode", "PREFERRED").toUpperCase(Locale.ROOT);
    if (!SSL_MODES.contains(mode)) {
      throw new ConfigException("setting 'valuetier.db.ssl-mode' = '" + mode
          + "' must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
    }
    return new Store.Tls(mode, s.get("valuetier.db.trust-store", null), s.get("valuetier.db.trust-store-password", null));
  }

  /** Opens the store these settings name. */
  public Store open() {
    return Store.open(url, user, password, poolSize, tls);
  }

  /**
   * These settings for a long-running process ({@code serve}, {@code worker}): unless
   * {@code valuetier.db.h2.compact-while-serving}, an embedded H2 store is opened without H2's background file
   * compaction ({@code AUTO_COMPACT_FILL_RATE=0}; a value already in the URL wins). That compaction rewrites the live
   * pages of half-empty file chunks under the store's lock, reading them from disk: just after a batch run, which leaves
   * many such chunks, it held the lock for up to 0.6 s while every answer waited for its commit (BENCHMARKS.md).
   * Without it the file grows faster while serving (in that measurement about 0.9 KB per online decision instead of
   * 0.7 KB); the batch commands keep H2's compaction.
   * MySQL/MariaDB URLs are unchanged.
   */
  public StoreSettings forServing(Settings s) {
    if (s.bool("valuetier.db.h2.compact-while-serving") || JdbcUrls.dialectOf(url) != Store.Dialect.H2) {
      return this;
    }
    return new StoreSettings(JdbcUrls.withoutBackgroundCompaction(url), user, password, poolSize, tls);
  }

  @Override
  public String toString() {
    return "StoreSettings[url=" + Store.redact(url) + ", user=" + user + ", poolSize=" + poolSize + ", sslMode="
        + tls.sslMode() + ", trustStore=" + tls.trustStoreUrl() + "]";
  }
}
