package io.valuetier.cli;

import io.valuetier.api.ApiKeys;
import io.valuetier.api.ApiServer;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier serve}: the REST API, the HTTP event ingest and hot reload of the rules, until stopped. */
@Command(
    name = "serve", header = "Serves the REST API and the transaction event endpoint.",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the REST API (decisions, traces, simulations, rule administration, models, health, metrics) and the",
      "transaction event endpoint; watches dmn/ and rules/ and hot-reloads valid changes. Stop with Ctrl-C.",
      "OpenAPI document: /api/v1/openapi.json. Every endpoint but /health needs an API key of its role",
      "(valuetier.api.keys.<role>; `valuetier api-key` makes one). Refuses a non-loopback host without keys."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(paramLabel = "PORT", names = "--port", description = "Port (default: valuetier.http.port).")
  Integer port;

  @Option(paramLabel = "HOST", names = "--host", description = "Address to listen on (default: valuetier.http.host).")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> o = new HashMap<>();
    if (port != null) {
      o.put("valuetier.http.port", String.valueOf(port));
    }
    if (host != null) {
      o.put("valuetier.http.host", host);
    }
    Settings s = common.settings(o);
    CountDownLatch stop = new CountDownLatch(1);
    try (Store store = Stores.openForServing(s);
        ApiServer server = ApiServer.start(s, store)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
      System.out.println("valuetier serves " + server.address() + " (rule set " + server.rules().active().version()
          + ", store " + store.describe() + "); OpenAPI at " + server.address() + "/api/v1/openapi.json");
      var counts = server.keys().counts();
      System.out.println("API keys per role: " + (counts.isEmpty() ? "none" : counts.toString().toLowerCase(
          Locale.ROOT)) + (counts.size() < ApiKeys.Role.values().length
          ? "; roles without a key are closed (set valuetier.api.keys.<role>, `valuetier api-key` makes a key)" : ""));
      stop.await();
    }
    return 0;
  }
}
