package io.valuetier.store;

import io.valuetier.config.Settings;

/** Opens the store that the settings name ({@code valuetier.db.url}, or the embedded H2 default). */
public final class Stores {
  private Stores() {}

  public static Store open(Settings s) {
    String url = s.get("valuetier.db.url", Store.defaultUrl(s.home()));
    return Store.open(
        url,
        s.get("valuetier.db.user", null),
        s.get("valuetier.db.password", null),
        s.intValue("valuetier.db.pool-size", 1, 64));
  }
}
