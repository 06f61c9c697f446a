package io.valuetier.routes;

import io.valuetier.config.Settings;

/**
 * The {@code valuetier.http.*} settings of the embedded HTTP server, checked when read: a bad value stops the run
 * with the key, the value and where it came from.
 *
 * @param host the address the server binds to
 * @param port the port it listens on
 * @param maxBodyBytes larger request bodies are refused with 413
 */
public record HttpSettings(String host, int port, long maxBodyBytes) {

  /** Reads and checks the settings. */
  public static HttpSettings from(Settings s) {
    return new HttpSettings(
        s.require("valuetier.http.host"),
        s.intValue("valuetier.http.port", 1, 65535),
        s.longValue("valuetier.http.max-body-bytes", 1024, 1L << 30));
  }

  /** The server's base address, such as {@code http://127.0.0.1:8080}. */
  public String address() {
    return "http://" + host + ":" + port;
  }
}
