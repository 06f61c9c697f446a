package io.valuetier.api;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleSetWatcher;
import io.valuetier.decide.trace.DecisionStore;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.model.TrainingService;
import io.valuetier.routes.DeadLetters;
import io.valuetier.routes.RouteHost;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.whatif.Simulation;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server of {@code valuetier serve}: the routes {@code api} and {@code ingest-transaction-events} on the
 * embedded HTTP server, the active rule set with a watcher that hot-reloads changed files in {@code dmn/} and
 * {@code rules/} (validated and tested first; a failing change is refused and the active version stays), the
 * champion model, and the store.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final RouteHost routes;
  private final RuleSetWatcher watcher;
  private final RuleSetRegistry rules;
  private final Metrics metrics;
  private final String address;

  private ApiServer(RouteHost routes, RuleSetWatcher watcher, RuleSetRegistry rules, Metrics metrics, String address) {
    this.routes = routes;
    this.watcher = watcher;
    this.rules = rules;
    this.metrics = metrics;
    this.address = address;
  }

  /** Starts the server on {@code valuetier.http.host}:{@code valuetier.http.port}. */
  public static ApiServer start(Settings settings, Store store) {
    GuardrailParameters params = GuardrailParameters.from(settings);
    RuleSetRegistry rules =
        new RuleSetRegistry(
            settings.home().resolve(settings.get("valuetier.decide.rule-set-dir", ".")).normalize(),
            new RuleSetHistory(store), params)
            .withChallenger(io.valuetier.decide.rules.Challenger.Config.from(settings));
    RuleSetRegistry.Outcome started = rules.start();
    if (rules.current().isEmpty()) {
      throw new IllegalStateException("no valid rule set to serve decisions with: " + started.reason()
          + " (run `valuetier validate-rules` for the messages)");
    }
    Metrics metrics = new Metrics();
    DecisionStore decisionStore = new DecisionStore(store, settings.intValue("valuetier.decide.insert-rows", 1, 10_000));
    DecisionService decisions =
        new DecisionService(rules, decisionStore, params, io.valuetier.feedback.ControlGroups.from(settings));
    AdminAuth auth = new AdminAuth(settings.get("valuetier.api.admin-token", null));
    DecisionApi api =
        new DecisionApi(
            settings, store, rules, decisions, decisionStore, TrainingService.registry(settings, store), auth, metrics,
            new Simulation(rules, decisionStore, params, settings.intValue("valuetier.whatif.sample-size", 0, 10_000)));
    RuleSetWatcher watcher =
        settings.bool("valuetier.api.watch-rules")
            ? new RuleSetWatcher(rules, settings.longValue("valuetier.decide.watch.debounce-ms", 10, 60_000), o -> {
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
              settings,
              Map.of(
                  "api", api,
                  "transactionEventIngest",
                  new TransactionEventIngest(new IngestStore(store), () -> CleaningRules.from(settings, LocalDateTime.now())),
                  "deadLetters", new DeadLetters()),
              Set.of("api", "ingest-transaction-events"),
              true);
    } catch (RuntimeException e) {
      if (watcher != null) {
        watcher.close();
      }
      throw e;
    }
    String address = "http://" + settings.require("valuetier.http.host") + ":" + settings.require("valuetier.http.port");
    return new ApiServer(routes, watcher, rules, metrics, address);
  }

  public String address() {
    return address;
  }

  public RuleSetRegistry rules() {
    return rules;
  }

  public Metrics metrics() {
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
