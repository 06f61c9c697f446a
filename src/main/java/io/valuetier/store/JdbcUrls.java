package io.valuetier.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The JDBC URL a store opens: which database it names, and the driver settings every connection of ours needs. */
final class JdbcUrls {
  /** H2 keeps a text value of up to this many bytes in its row (see {@link #withH2Defaults}). */
  static final int INPLACE_LOB_BYTES = 32_768;

  private JdbcUrls() {}

  static Store.Dialect dialectOf(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return Store.Dialect.H2;
    }
    if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
      return Store.Dialect.MYSQL;
    }
    throw new StoreException(
        "unsupported database URL '" + Store.redact(url) + "': use jdbc:h2:... or jdbc:mysql://HOST:PORT/DATABASE");
  }

  /**
   * The schema and the SQL are written for MySQL; an H2 URL given without its compatibility settings gets them, so that
   * {@code --db jdbc:h2:file:/tmp/x} behaves like the default store.
   *
   * <p>{@code MAX_LENGTH_INPLACE_LOB}: the schema's {@code MEDIUMTEXT} columns are H2 CLOBs, and H2 keeps a CLOB of
   * more than 256 bytes (its default) apart from its row, in LOB maps of its own: three more B-tree writes per value
   * and a LOB lookup per read. A decision's products (about 470 characters), a customer's picks and an action's products
   * are such values, written once per decision and action; up to {@value #INPLACE_LOB_BYTES} bytes they now stay in
   * their row. The setting is kept by the database; values stored before it stay where they are.
   */
  static String withH2Defaults(String url) {
    StringBuilder sb = new StringBuilder(url);
    for (String opt :
        new String[] {"MODE=MySQL", "DATABASE_TO_LOWER=TRUE", "CASE_INSENSITIVE_IDENTIFIERS=TRUE",
            "MAX_LENGTH_INPLACE_LOB=" + INPLACE_LOB_BYTES}) {
      String name = opt.substring(0, opt.indexOf('=') + 1);
      if (!url.toUpperCase(Locale.ROOT).contains(";" + name.toUpperCase(Locale.ROOT))) {
        sb.append(';').append(opt);
      }
    }
    return sb.toString();
  }

  /** An H2 URL with H2's background compaction off, unless the URL sets its fill rate itself. */
  static String withoutBackgroundCompaction(String url) {
    return url.toUpperCase(Locale.ROOT).contains(";AUTO_COMPACT_FILL_RATE=") ? url : url + ";AUTO_COMPACT_FILL_RATE=0";
  }

  /**
   * Connector/J settings for MySQL/MariaDB: batched writes need {@code rewriteBatchedStatements} (40x faster inserts);
   * times in UTC. {@code LOAD DATA LOCAL} is allowed only when {@code localInfile} (the bulk-load pool): a connection
   * that allows it sends the server any client file the server asks for, so every other connection refuses it,
   * whatever the URL says. Connector/J's path-restricted {@code allowLoadLocalInfileInPath} does not fit: it ignores
   * the in-memory stream the bulk load sends and reads a file instead. No {@code allowPublicKeyRetrieval}: add it to
   * the URL only for a MySQL 8 account with {@code caching_sha2_password} reached without TLS. Parsed statements are
   * cached up to 4,096 characters (Connector/J's default, 256, leaves out a one-row insert into {@code decisions}: a
   * worker's event processing spent 17% of its CPU samples parsing the same statements again, event after event).
   */
  static String withMysqlDefaults(String url, Store.Tls tls, boolean localInfile) {
    String u = url.startsWith("jdbc:mariadb:") ? "jdbc:mysql:" + url.substring("jdbc:mariadb:".length()) : url;
    u = u.replaceAll("(?i)([?&])allowLoadLocalInfile(InPath)?=[^&]*&?", "$1").replaceAll("[?&]$", "");
    StringBuilder sb = new StringBuilder(u);
    char sep = u.contains("?") ? '&' : '?';
    List<String> opts = new ArrayList<>(List.of(
        "rewriteBatchedStatements=true",
        "allowLoadLocalInfile=" + localInfile,
        "useServerPrepStmts=false",
        "cachePrepStmts=true",
        "prepStmtCacheSize=250",
        "prepStmtCacheSqlLimit=4096",
        "characterEncoding=UTF-8",
        "connectionTimeZone=UTC",
        "forceConnectionTimeZoneToSession=true",
        "sslMode=" + (tls.sslMode() == null || tls.sslMode().isBlank() ? "PREFERRED" : tls.sslMode())));
    if (tls.trustStoreUrl() != null && !tls.trustStoreUrl().isBlank()) {
      opts.add("trustCertificateKeyStoreUrl=" + tls.trustStoreUrl());
    }
    if (tls.trustStorePassword() != null && !tls.trustStorePassword().isBlank()) {
      opts.add("trustCertificateKeyStorePassword=" + tls.trustStorePassword());
    }
    for (String opt : opts) {
      String name = opt.substring(0, opt.indexOf('='));
      if (!u.contains(name + "=")) {
        sb.append(sep).append(opt);
        sep = '&';
      }
    }
    return sb.toString();
  }

  static String withMysqlDefaults(String url) {
    return withMysqlDefaults(url, Store.Tls.PREFERRED, false);
  }
}
