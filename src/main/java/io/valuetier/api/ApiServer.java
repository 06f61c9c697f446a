package io.valuetier.api;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleSetWatcher;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.model.TrainingService;
import io.valuetier.model.picks.PicksService;
import io.valuetier.model.picks.PicksSettings;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.whatif.Simulation;
import io.valuetier.whatif.WhatIfSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server of {@code valuetier serve}: the routes {@code api}, {@code workbench} (the analysts' DMN editor
 * with Validate, Test, Simulate, Deploy and Rollback) and {@code ingest-transaction-events} on the embedded HTTP server, the active rule set with a watcher that hot-reloads changed files in {@code dmn/} and
 * {@code rules/} (validated and tested first; a failing change is refused and the active version stays), the
 * champion model, and the store. Every endpoint but {@code /health} needs an API key of the right role
 * ({@link ApiKeys}); on an address other than loopback the server does not start without keys.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final RouteHost routes;
  private final RuleSetWatcher watcher;
  private final RuleSetRegistry rules;
  private final ServerMetrics metrics;
  private final String address;
  private final ApiKeys keys;

  private ApiServer(
      RouteHost routes, RuleSetWatcher watcher, RuleSetRegistry rules, ServerMetrics metrics, String address, ApiKeys keys) {
    this.routes = routes;
    this.watcher = watcher;
    this.rules = rules;
    this.metrics = metrics;
    this.address = address;
    this.keys = keys;
  }

  /**
   * Starts the server on {@code valuetier.http.host}:{@code valuetier.http.port}.
   *
   * @throws IllegalStateException when the host is not a loopback address and no API key is configured
   */
  public static ApiServer start(Settings settings, Store store) {
    ApiKeys keys = ApiKeys.from(settings);
    ApiSettings server = ApiSettings.from(settings);
    DecideSettings decide = DecideSettings.from(settings);
    String host = server.http().host();
    if (keys.isEmpty() && !isLoopback(host)) {
      throw new IllegalStateException("refusing to serve on " + host + " without API keys: set "
          + ApiKeys.PREFIX + "<role> (`valuetier api-key` makes one) or bind valuetier.http.host to 127.0.0.1");
    }
    GuardrailParameters params = decide.guardrails();
    RuleSetRegistry rules = RuleSetRegistry.fromSettings(decide, store);
    RuleSetRegistry.RuleSetChange started = rules.start();
    if (rules.current().isEmpty()) {
      throw new IllegalStateException("no valid rule set to serve decisions with: " + started.reason()
          + " (run `valuetier validate-rules` for the messages)");
    }
    ServerMetrics metrics = new ServerMetrics();
    DecisionLog decisionLog = decide.decisionLog(store);
    DecisionService decisions = onlineDecisions(settings, store, rules, decisionLog, server.groupCommitMaxBatch());
    ApiGuard guard = new ApiGuard(keys, server.rateLimitPerSecond(), metrics);
    ModelRegistry models = TrainingService.registry(settings, store);
    DecisionsResource decisionsApi =
        new DecisionsResource(
            guard, store, decisions, decisionLog,
            new SuppliedInput(settings, store, new DecisionInputs(store), models, params.contactWindowDays()));
    Simulation simulation =
        new Simulation(rules, new DecisionInputs(store), params, WhatIfSettings.from(settings).sampleSize());
    Semaphore simulations = new Semaphore(1);
    RulesResource rulesApi = new RulesResource(guard, store, rules, simulation, simulations);
    RuleSetWatcher watcher =
        server.watchRules()
            ? new RuleSetWatcher(rules, decide.watchDebounceMs(), o -> {
                metrics.reload(o.refused() ? "refused" : o.activated() ? "activated" : "unchanged");
                if (o.refused()) {
                  LOG.warn("changed rule files refused, {} stays active: {}", rules.active().version(), o.reason());
                } else if (o.activated()) {
                  LOG.info("rule set {} is now active (hot reload)", o.version());
                }
              })
            : null;
    RouteHost routes;
    try {
      routes =
          RouteHost.start(
              withoutKeys(settings),
              Map.of(
                  "decisionsApi", decisionsApi,
                  "rulesApi", rulesApi,
                  "modelsApi", new ModelsResource(guard, models),
                  "workbenchApi", new WorkbenchResource(guard, rules, params),
                  "workbenchRelease", new WorkbenchRelease(guard, rules, simulation, simulations),
                  "operationsApi", new OperationsResource(guard, settings, store, rules, models),
                  "transactionEventIngest",
                  new TransactionEventIngest(
                      new IngestStore(store), () -> CleaningRules.from(settings, LocalDateTime.now()),
                      decisionsApi::admitEvent),
                  "deadLetters", new DeadLetters()),
              Set.of("api", "workbench", "ingest-transaction-events"),
              true);
    } catch (RuntimeException e) {
      if (watcher != null) {
        watcher.close();
      }
      throw e;
    }
    String address = server.http().address();
    return new ApiServer(routes, watcher, rules, metrics, address, keys);
  }

  /**
   * The service that decides one customer at a time for online callers (this server and the Kafka workers): the
   * active rule set and its challenger, the guardrails and control groups of the settings, and the stored product
   * picks when picks are enabled.
   */
  public static DecisionService onlineDecisions(
      Settings settings, Store store, RuleSetRegistry rules, DecisionLog decisionLog, int groupCommitMaxBatch) {
    DecideSettings decide = DecideSettings.from(settings);
    DecisionService decisions =
        new DecisionService(rules, decisionLog, decide.guardrails(), decide.controlGroups(), groupCommitMaxBatch);
    PicksSettings picks = PicksSettings.from(settings);
    if (picks.enabled()) {
      decisions.withPicks(ids -> PicksService.stored(store, ids), picks.maxProducts());
    }
    return decisions;
  }

  /** The settings as Camel sees them: the key settings emptied, so no key material sits in its properties. */
  private static Settings withoutKeys(Settings settings) {
    Map<String, String> blank = new HashMap<>();
    for (ApiKeys.Role r : ApiKeys.Role.values()) {
      blank.put(ApiKeys.PREFIX + r.label(), "");
    }
    blank.put(ApiKeys.LEGACY_ADMIN_TOKEN, "");
    return settings.with(blank);
  }

  /** True for localhost and loopback addresses (127.0.0.0/8, ::1); a name is resolved. */
  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The configured keys (counts per role only; never the keys). */
  public ApiKeys keys() {
    return keys;
  }

  public String address() {
    return address;
  }

  public RuleSetRegistry rules() {
    return rules;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    routes.close();
  }
}
