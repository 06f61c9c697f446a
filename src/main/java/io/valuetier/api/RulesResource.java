package io.valuetier.api;

import static io.valuetier.api.RequestFields.optionalText;
import static io.valuetier.api.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.feedback.RuleSetComparison;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import io.valuetier.whatif.Impact;
import io.valuetier.whatif.Simulation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;

/**
 * The rule-set endpoints (bean {@code rulesApi} of {@code routes/api.camel.yaml}): what-if simulations of a candidate
 * (analyst, one at a time), reload, versions and rollback (admin), and the champion against challenger comparison of
 * a decision run (analyst). Keys, roles, rate limit and problem answers are the {@link ApiGuard}'s.
 */
public final class RulesResource {
  private final ApiGuard guard;
  private final Store store;
  private final RuleSetRegistry rules;
  private final Simulation simulation;
  private final Semaphore simulations;

  /** {@code simulations}: one permit, shared with the workbench's Simulate, so that one simulation runs at a time. */
  RulesResource(ApiGuard guard, Store store, RuleSetRegistry rules, Simulation simulation, Semaphore simulations) {
    this.guard = guard;
    this.store = store;
    this.rules = rules;
    this.simulation = simulation;
    this.simulations = simulations;
  }

  /** {@code POST /api/v1/simulations}: a candidate DMN and/or DRL in, the impact against the active rules out. */
  public void simulate(Exchange ex) {
    guard.answer(ex, "POST /api/v1/simulations", e -> {
      guard.authorize(e, Role.ANALYST);
      JsonNode body = RequestJson.object(e);
      String dmn = optionalText(body, "dmn", "dmn");
      String drl = optionalText(body, "drl", "drl");
      if (dmn == null && drl == null) {
        throw Problem.badRequest("dmn", "give the candidate as \"dmn\" (DMN XML) and/or \"drl\" (DRL text)");
      }
      if (!simulations.tryAcquire()) {
        throw new Problem(429, "busy", "busy", "a simulation is already running; try again when it has finished",
            null);
      }
      try {
        Simulation.Result r = simulation.run(dmn, drl);
        if (!r.accepted()) {
          e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("title", "the candidate rule set is refused");
          m.put("messages", r.messages().stream().map(ValidationMessage::toString).toList());
          return m;
        }
        Impact impact = r.impact();
        Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(impact, Map.class));
        m.put("warnings", r.messages().stream().map(ValidationMessage::toString).toList());
        return m;
      } finally {
        simulations.release();
      }
    });
  }

  /** {@code POST /api/v1/rules/reload}. */
  public void reload(Exchange ex) {
    guard.answer(ex, "POST /api/v1/rules/reload", e -> {
      guard.authorize(e, Role.ADMIN);
      RuleSetRegistry.RuleSetChange o = rules.reload();
      guard.metrics().reload(o.refused() ? "refused" : o.activated() ? "activated" : "unchanged");
      if (o.refused()) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
      }
      Map<String, Object> m = outcome(o);
      // a challenger is reloaded too; its refusal does not refuse the champion, so it does not change the status
      rules.challengerOutcome().ifPresent(c -> m.put("challenger", outcome(c)));
      return m;
    });
  }

  /** {@code GET /api/v1/rules/versions}. */
  public void versions(Exchange ex) {
    guard.answer(ex, "GET /api/v1/rules/versions", e -> {
      guard.authorize(e, Role.ADMIN);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("active", rules.current().map(r -> r.version()).orElse(null));
      m.put("challenger", rules.challenger().map(c -> c.ruleSet().version()).orElse(null));
      m.put("activations", rules.history().activations());
      return m;
    });
  }

  /** {@code POST /api/v1/rules/rollback} with {@code {"version": "..."}}. */
  public void rollback(Exchange ex) {
    guard.answer(ex, "POST /api/v1/rules/rollback", e -> {
      guard.authorize(e, Role.ADMIN);
      JsonNode body = RequestJson.object(e);
      String version = requiredText(body, "version");
      if (!version.matches("[0-9a-fA-F]{4,64}")) {
        throw Problem.badRequest("version", "version must be a rule-set id (hexadecimal), as GET /api/v1/rules/versions lists");
      }
      RuleSetRegistry.RuleSetChange o;
      try {
        o = rules.rollback(version);
      } catch (IllegalArgumentException unknown) {
        throw Problem.notFound("no stored rule-set version " + version + ": GET /api/v1/rules/versions lists them");
      }
      guard.metrics().reload(o.refused() ? "refused" : "rolled_back");
      if (o.refused()) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
      }
      return outcome(o);
    });
  }

  /** {@code GET /api/v1/rules/comparison[?run=N]}: champion against challenger in one decision run (aggregates). */
  public void comparison(Exchange ex) {
    guard.answer(ex, "GET /api/v1/rules/comparison", e -> {
      guard.authorize(e, Role.ANALYST);
      String run = e.getMessage().getHeader("run", String.class);
      long id;
      if (run == null || run.isBlank()) {
        id = RuleSetComparison.latestRun(store);
        if (id <= 0) {
          throw Problem.notFound("no decision run yet: run `valuetier decide` first");
        }
      } else {
        try {
          id = Long.parseLong(run.strip());
        } catch (NumberFormatException bad) {
          throw Problem.badRequest("run", "run must be a decision run number, not '" + Problem.quote(run) + "'");
        }
      }
      var c = RuleSetComparison.compute(store, id);
      if (c.decisions() == 0) {
        throw Problem.notFound("decision run " + id + " has no decisions");
      }
      Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(c, Map.class));
      m.put("challenger", rules.challenger().map(ch -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("version", ch.ruleSet().version());
        x.put("share", ch.share());
        return x;
      }).orElse(null));
      return m;
    });
  }

  private static Map<String, Object> outcome(RuleSetRegistry.RuleSetChange o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activated", o.activated());
    m.put("version", o.version());
    m.put("result", o.reason());
    m.put("messages", o.messages().stream().map(ValidationMessage::toString).toList());
    return m;
  }
}
