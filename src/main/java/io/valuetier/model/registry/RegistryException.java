package io.valuetier.model.registry;

/** A model could not be saved, found or loaded safely; the message says what and what to do. */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
