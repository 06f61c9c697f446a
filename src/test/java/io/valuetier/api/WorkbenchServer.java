package io.valuetier.api;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.Population;
import io.valuetier.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code serve} for the workbench's tests: an H2 store with a scored population (for Simulate), the repository's rule
 * set copied into a folder of its own (Deploy and Rollback write there, never into the checkout), and one key per
 * role the workbench knows: analyst alone, analyst with deploy, decide, admin.
 */
final class WorkbenchServer implements AutoCloseable {
  static final String ANALYST = "workbench-analyst-key-0001";
  static final String DEPLOYER = "workbench-deployer-key-002";
  static final String DECIDE = "workbench-decide-key-00002";
  static final String ADMIN = "workbench-admin-key-000003";

  final Path work;
  final Path rules;
  final Store store;
  final ApiServer server;
  final String base;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  WorkbenchServer(String name, int customers) throws Exception {
    this(name, customers, Map.of());
  }

  /** As {@link #WorkbenchServer(String, int)} with more settings (a challenger folder and share, for instance). */
  WorkbenchServer(String name, int customers, Map<String, String> more) throws Exception {
    work = Files.createTempDirectory("valuetier-" + name);
    Path registry = work.resolve("models");
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), registry);
    rules = work.resolve("rule-set");
    TestStores.copyTree(TestStores.home().resolve("dmn"), rules.resolve("dmn"));
    TestStores.copyTree(TestStores.home().resolve("rules"), rules.resolve("rules"));
    int port = TestStores.freePort();
    Map<String, String> m = new HashMap<>();
    m.put("valuetier.http.port", String.valueOf(port));
    m.put("valuetier.api.keys.analyst", ANALYST + "," + DEPLOYER);
    m.put("valuetier.api.keys.deploy", DEPLOYER);
    m.put("valuetier.api.keys.decide", DECIDE);
    m.put("valuetier.api.keys.admin", ADMIN);
    m.put("valuetier.api.watch-rules", "false");
    m.put("valuetier.model.registry-dir", registry.toString());
    m.put("valuetier.decide.rule-set-dir", rules.toString());
    m.putAll(more);
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    store = Stores.open(s);
    if (customers > 0) {
      Population.write(store, customers, 7);
    }
    server = ApiServer.start(s, store);
    base = "http://127.0.0.1:" + port;
  }

  static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString(("analyst:" + key).getBytes(StandardCharsets.UTF_8));
  }

  static String bearer(String key) {
    return "Bearer " + key;
  }

  HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs JSON with the given headers (name, value, ...). */
  HttpResponse<String> post(String path, String json, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
