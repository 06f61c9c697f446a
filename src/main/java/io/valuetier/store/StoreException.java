package io.valuetier.store;

import java.net.ConnectException;
import java.sql.SQLException;

/** The store could not be opened, migrated, read or written; the message says which and why. */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the database server did not answer at all (connection refused or lost: SQL state class 08), as when it
   * has not started yet, rather than answered with an error (a wrong password, an unknown database).
   */
  public boolean unreachable() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof SQLException q && q.getSQLState() != null && q.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }
}
