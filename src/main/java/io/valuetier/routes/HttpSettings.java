package io.valuetier.routes;

import io.valuetier.config.Settings;

/**
 * The {@code valuetier.http.*} settings of the embedded HTTP server, checked when read: a bad value stops the run
 * with the key, the value and where it came from.
 *
 * @param host the address the server binds to
 * @param port the port it listens on
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param workerThreads the threads that run requests (Vert.x's worker pool, on which platform-http runs each route);
 *     more requests than this wait in arrival order
 */
public record HttpSettings(String host, int port, long maxBodyBytes, int workerThreads) {

  /**
   * The worker threads when {@code valuetier.http.worker-threads} is 0: two per core. A request spends most of its
   * time on the CPU (the DMN, the guardrails, H2 in the same process), so more threads than this only share the cores
   * among more requests at once, and each of them takes longer: with 16 connections on 2 cores, the slowest 1% of
   * answers took 4 times the median with 4 threads and 6.5 times with Vert.x's 20 (BENCHMARKS.md); one thread per
   * core, and a request waiting on a database lock or a group commit leaves a core idle.
   */
  static int defaultWorkerThreads() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  /** Reads and checks the settings. */
  public static HttpSettings from(Settings s) {
    int workers = s.intValue("valuetier.http.worker-threads", 0, 1024);
    return new HttpSettings(
        s.require("valuetier.http.host"),
        s.intValue("valuetier.http.port", 1, 65535),
        s.longValue("valuetier.http.max-body-bytes", 1024, 1L << 30),
        workers == 0 ? defaultWorkerThreads() : workers);
  }

  /** The server's base address, such as {@code http://127.0.0.1:8080}. */
  public String address() {
    return "http://" + host + ":" + port;
  }
}
