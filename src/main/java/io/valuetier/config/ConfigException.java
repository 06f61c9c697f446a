package io.valuetier.config;

/** A setting is missing or malformed; the message names the key, the value and its origin. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
