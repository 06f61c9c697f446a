package io.valuetier.store;

import io.valuetier.config.Settings;

/**
 * Opens the store that the settings name ({@code valuetier.db.url}, or the embedded H2 default), with the TLS settings
 * {@code valuetier.db.ssl-mode}, {@code valuetier.db.trust-store} and {@code valuetier.db.trust-store-password}
 * ({@link StoreSettings}).
 */
public final class Stores {
  private Stores() {}

  public static Store open(Settings s) {
    return StoreSettings.from(s).open();
  }

  /** The store for a long-running process, {@code serve} or {@code worker} (see {@link StoreSettings#forServing}). */
  public static Store openForServing(Settings s) {
    return StoreSettings.from(s).forServing(s).open();
  }
}
