package io.valuetier.routes;

/** The routes of {@code routes/} cannot be loaded, started or stopped; the message names the file. */
public final class RouteException extends RuntimeException {
  public RouteException(String message, Throwable cause) {
    super(message, cause);
  }

  public RouteException(String message) {
    super(message);
  }
}
