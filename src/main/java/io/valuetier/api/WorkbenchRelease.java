package io.valuetier.api;

import static io.valuetier.api.RequestFields.optionalText;
import static io.valuetier.api.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.api.ApiKeys.Caller;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.util.Json;
import io.valuetier.whatif.Simulation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;

/**
 * The workbench's way from an edited model to the live rules (bean {@code workbenchRelease} of
 * {@code routes/workbench.camel.yaml}): Simulate (the what-if of {@link Simulation} on the scored population, analyst),
 * Deploy (as the active rule set or as the challenger) and Rollback (a key with the role {@code deploy}, through
 * {@link RuleSetRegistry#deploy}, {@link RuleSetRegistry#deployChallenger} and {@link RuleSetRegistry#rollback}: the reload's gate, the files written, the activation recorded with who and why),
 * and the history of activations. Nothing here copies the registry's or the simulation's work.
 */
public final class WorkbenchRelease {
  /** Longest deploy or rollback message kept. */
  static final int MAX_MESSAGE = 500;

  /** How many activations the history lists, newest first. */
  static final int HISTORY = 50;

  private final ApiGuard guard;
  private final RuleSetRegistry rules;
  private final Simulation simulation;
  private final Semaphore simulations;

  WorkbenchRelease(ApiGuard guard, RuleSetRegistry rules, Simulation simulation, Semaphore simulations) {
    this.guard = guard;
    this.rules = rules;
    this.simulation = simulation;
    this.simulations = simulations;
  }

  /**
   * {@code POST /workbench/api/simulate} with the edited model (and test tables): how the scored customers would move
   * between tiers and actions against the active rule set, with a few customer ids per changed cell. Shares the API's
   * one-simulation-at-a-time slot.
   */
  public void simulate(Exchange ex) {
    guard.answer(ex, "POST /workbench/api/simulate", e -> {
      guard.authorizeBrowser(e, Role.ANALYST);
      WorkbenchCandidate c = WorkbenchCandidate.from(RequestJson.object(e), rules.active());
      if (!simulations.tryAcquire()) {
        throw new Problem(429, "busy", "busy", "a simulation is already running; try again when it has finished",
            null);
      }
      try {
        Simulation.Result r = simulation.run(c.files());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", r.accepted());
        m.put("messages", WorkbenchJson.messages(r.messages()));
        m.put("tests", r.testSummary());
        if (!r.accepted()) {
          e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
          return m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> impact = Json.MAPPER.convertValue(r.impact(), Map.class);
        m.putAll(impact);
        return m;
      } finally {
        simulations.release();
      }
    });
  }

  /**
   * {@code POST /workbench/api/deploy} with {@code file}, {@code dmn}, optional {@code tests}, {@code message},
   * {@code base} (the version the analyst opened) and {@code as}: {@code active} (the default) or {@code challenger}
   * (the configured challenger's folder, deciding its share of the customers). 200 activated, 422 refused by the gate
   * (nothing written, the active version or the running challenger stays, the messages and failed cases say why), 409
   * when another version became active since {@code base}, or, as challenger, when no challenger folder is configured.
   */
  public void deploy(Exchange ex) {
    guard.answer(ex, "POST /workbench/api/deploy", e -> {
      Caller caller = guard.authorizeBrowser(e, Role.DEPLOY);
      JsonNode body = RequestJson.object(e);
      boolean asChallenger = asChallenger(body);
      String base = version(body, "base");
      String message = message(body, true);
      if (asChallenger && rules.challengerDir().isEmpty()) {
        throw new Problem(409, "no-challenger", "no challenger is configured", "cannot deploy as challenger: this"
            + " server has no challenger folder; an operator sets " + Challenger.DIR_KEY + " (a folder the rule set"
            + " is written into) and " + Challenger.SHARE_KEY + " (the share of customers it decides, above 0) and"
            + " restarts valuetier serve; \"Deploy as active\" works without it", "as");
      }
      WorkbenchCandidate c = WorkbenchCandidate.from(body, rules.active());
      RuleSetRegistry.RuleSetChange o;
      try {
        o = asChallenger ? rules.deployChallenger(c.files(), base, author(caller), message)
            : rules.deploy(c.files(), base, author(caller), message);
      } catch (RuleSetRegistry.BaseChanged changed) {
        throw new Problem(409, "base-changed", "the base changed", baseChanged(base, changed), "base");
      }
      Map<String, Object> m = answer(e, o, asChallenger ? "challenger_deployed" : "deployed");
      m.put("as", asChallenger ? "challenger" : "active");
      if (asChallenger) {
        m.putAll(WorkbenchJson.challenger(rules));
      }
      return m;
    });
  }

  private static boolean asChallenger(JsonNode body) {
    String as = optionalText(body, "as", "as");
    if (as == null || as.equals("active")) {
      return false;
    }
    if (as.equals("challenger")) {
      return true;
    }
    throw Problem.badRequest("as", "as must be \"active\" (the default: the rule set every customer gets) or"
        + " \"challenger\" (the share of customers of " + Challenger.SHARE_KEY + "), not \"" + as + "\"");
  }

  /** {@code POST /workbench/api/rollback} with {@code {"version": "...", "message": "..."}}: a stored version again. */
  public void rollback(Exchange ex) {
    guard.answer(ex, "POST /workbench/api/rollback", e -> {
      Caller caller = guard.authorizeBrowser(e, Role.DEPLOY);
      JsonNode body = RequestJson.object(e);
      String version = version(body, "version");
      String message = message(body, false);
      RuleSetRegistry.RuleSetChange o;
      try {
        o = rules.rollback(version, author(caller), message);
      } catch (IllegalArgumentException unknown) {
        throw Problem.notFound("no stored rule-set version " + version + ": the history lists them");
      }
      return answer(e, o, "rolled_back");
    });
  }

  /** {@code GET /workbench/api/history}: the active version and the latest activations, who and why. */
  public void history(Exchange ex) {
    guard.answer(ex, "GET /workbench/api/history", e -> {
      guard.authorizeBrowser(e, Role.ANALYST);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("active", rules.active().version());
      m.putAll(WorkbenchJson.challenger(rules));
      m.put("activations", rules.history().activations().stream().limit(HISTORY).map(WorkbenchJson::activation)
          .toList());
      return m;
    });
  }

  private Map<String, Object> answer(Exchange e, RuleSetRegistry.RuleSetChange o, String metric) {
    guard.metrics().reload(o.refused() ? "refused" : o.activated() ? metric : "unchanged");
    if (o.refused()) {
      e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
    }
    return WorkbenchJson.change(o);
  }

  /** Who changed the rules, as the history shows it: the key's roles and non-secret id, never the key. */
  static String author(Caller caller) {
    return caller.roles().stream().map(Role::label).collect(Collectors.joining("+")) + " key " + caller.keyId();
  }

  private static String version(JsonNode body, String field) {
    String v = requiredText(body, field);
    if (!v.matches("[0-9a-fA-F]{4,64}")) {
      throw Problem.badRequest(field, field + " must be a rule-set version id (hexadecimal), as the history lists it");
    }
    return v;
  }

  private static String message(JsonNode body, boolean required) {
    String m = optionalText(body, "message", "message");
    m = m == null ? "" : m.replaceAll("\\s+", " ").strip();
    if (required && m.isEmpty()) {
      throw Problem.badRequest("message", "say in a few words what the change does (\"message\"): the history keeps it");
    }
    if (m.length() > MAX_MESSAGE) {
      throw Problem.badRequest("message", "message must be at most " + MAX_MESSAGE + " characters, not " + m.length());
    }
    return m.isEmpty() ? null : m;
  }

  private static String baseChanged(String base, RuleSetRegistry.BaseChanged changed) {
    String now = changed.latest().map(a -> "version " + a.version() + " was " + (a.author() == null
        ? "activated (" + a.reason().toLowerCase(java.util.Locale.ROOT) + ")"
        : "deployed by " + a.author()) + " at " + a.activatedAt()).orElse("another version is active");
    return "the base changed: you opened version " + base + "; since then " + now + "; reload the model"
        + " (copy your edits first) and apply them again";
  }
}
