package io.valuetier.store;

import io.valuetier.config.Settings;
import java.time.Duration;
import java.util.function.Consumer;

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

  /**
   * The store for a long-running process that may start before its database server does (a machine's services
   * starting together): while the server does not answer ({@link StoreException#unreachable()}), it tries again
   * every two seconds for up to {@code wait}, telling {@code progress} each time. Any other failure (a wrong
   * password, a database that does not exist, a migration that fails) is thrown at once.
   */
  public static Store openForServing(Settings s, Duration wait, Consumer<String> progress) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return openForServing(s);
      } catch (StoreException e) {
        if (!e.unreachable() || System.nanoTime() > deadline) {
          throw e;
        }
        progress.accept("waiting for the database (up to " + wait.toSeconds() + " s): " + e.getMessage());
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
