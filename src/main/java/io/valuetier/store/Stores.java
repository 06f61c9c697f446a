package io.valuetier.store;

import io.valuetier.config.Settings;

/**
 * Opens the store that the settings name ({@code valuetier.db.url}, or the embedded H2 default), with the TLS settings
 * {@code valuetier.db.ssl-mode}, {@code valuetier.db.trust-store} and {@code valuetier.db.trust-store-password}.
 */
public final class Stores {
  private Stores() {}

  public static Store open(Settings s) {
    String url = s.get("valuetier.db.url", Store.defaultUrl(s.home()));
    return Store.open(
        url,
        s.get("valuetier.db.user", null),
        s.get("valuetier.db.password", null),
        s.intValue("valuetier.db.pool-size", 1, 64),
        tls(s));
  }

  /** The TLS settings of MySQL/MariaDB connections; a mode other than Connector/J's five is refused by name. */
  static Store.Tls tls(Settings s) {
    String mode = s.get("valuetier.db.ssl-mode", "PREFERRED").toUpperCase(java.util.Locale.ROOT);
    if (!java.util.Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY").contains(mode)) {
      throw new io.valuetier.config.ConfigException("setting 'valuetier.db.ssl-mode' = '" + mode
          + "' must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
    }
    return new Store.Tls(mode, s.get("valuetier.db.trust-store", null), s.get("valuetier.db.trust-store-password", null));
  }
}
