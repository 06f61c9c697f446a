package io.valuetier.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.config.Settings;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.privacy.CustomerErasure;
import io.valuetier.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The operations endpoints (bean {@code operationsApi} of {@code routes/api.camel.yaml}): customer erasures (admin),
 * {@code /health} (no key), {@code /metrics} (metrics or admin) and the OpenAPI document (any key). Keys, roles, rate
 * limit and problem answers are the {@link ApiGuard}'s.
 */
public final class OperationsResource {
  private final ApiGuard guard;
  private final Settings settings;
  private final Store store;
  private final RuleSetRegistry rules;
  private final ModelRegistry models;

  OperationsResource(ApiGuard guard, Settings settings, Store store, RuleSetRegistry rules, ModelRegistry models) {
    this.guard = guard;
    this.settings = settings;
    this.store = store;
    this.rules = rules;
    this.models = models;
  }

  /** How many customers one erasure request may name. */
  static final int MAX_ERASURES = 1_000;

  /**
   * {@code POST /api/v1/customers/erasures} with {@code {"customer_ids": ["..."]}} (admin): erases the customers'
   * personal data from every table and refuses their later rows ({@link CustomerErasure}); the files published
   * earlier that still hold them are named relative to the installation, for the operator to delete.
   */
  public void erase(Exchange ex) {
    guard.answer(ex, "POST /api/v1/customers/erasures", e -> {
      guard.authorize(e, Role.ADMIN);
      JsonNode body = RequestJson.object(e);
      JsonNode ids = body.get("customer_ids");
      if (ids == null || !ids.isArray() || ids.isEmpty()) {
        throw Problem.badRequest("customer_ids", "customer_ids must be a non-empty array of customer ids");
      }
      if (ids.size() > MAX_ERASURES) {
        throw Problem.badRequest("customer_ids", "at most " + MAX_ERASURES + " customer ids per request");
      }
      List<String> list = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        JsonNode v = ids.get(i);
        String field = "customer_ids[" + i + "]";
        if (!v.isTextual() && !v.isIntegralNumber()) {
          throw Problem.badRequest(field, field + " must be a string");
        }
        String id = v.asText().strip();
        if (id.isEmpty() || id.length() > 64) {
          throw Problem.badRequest(field, field + " must be 1 to 64 characters");
        }
        list.add(id);
      }
      CustomerErasure.Erasure done = CustomerErasure.of(settings, store).forget(list);
      Path home = settings.home().toAbsolutePath().normalize();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("customers", done.customers().size());
      m.put("newly_marked", done.newlyMarked());
      m.put("rows_deleted", done.rowsDeleted());
      m.put("texts_scrubbed", done.textsScrubbed());
      m.put("files_still_holding_them", done.filesStillHoldingThem().stream()
          .map(f -> {
            Path a = f.toAbsolutePath().normalize();
            return (a.startsWith(home) ? home.relativize(a) : a.getFileName()).toString();
          })
          .toList());
      return m;
    });
  }

  /** {@code GET /health}: 200 when the store answers and a rule set is active, else 503. */
  public void health(Exchange ex) {
    guard.answer(ex, "GET /health", e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean db;
      try {
        store.queryLong("SELECT 1");
        db = true;
      } catch (RuntimeException down) {
        db = false;
      }
      boolean ruleSet = rules.current().isPresent();
      boolean model = models.champion().isPresent();
      m.put("status", db && ruleSet ? "UP" : "DOWN");
      m.put("database", db ? "UP" : "DOWN");
      m.put("rule_set", rules.current().map(r -> r.version()).orElse(null));
      m.put("model", models.champion().map(ModelRegistry.Champion::modelId).orElse(null));
      m.put("decisions", guard.metrics().decisions());
      if (!(db && ruleSet)) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
      }
      if (!model) {
        m.put("note", "no champion model: decisions for known customers work, new customers cannot be scored");
      }
      return m;
    });
  }

  /** {@code GET /metrics} in the Prometheus text format (role metrics or admin). */
  public void metrics(Exchange ex) {
    guard.answer(ex, "GET /metrics", e -> {
      guard.authorize(e, Role.METRICS, Role.ADMIN);
      return guard.metrics().prometheus();
    });
  }

  /** {@code GET /api/v1/openapi.json}: the OpenAPI document (kept as YAML in the jar, served as JSON), any key. */
  public void openapi(Exchange ex) {
    guard.answer(ex, "GET /api/v1/openapi.json", e -> {
      guard.authorize(e, Role.values());
      return OPENAPI;
    });
  }

  private static final Object OPENAPI = loadOpenApi();

  private static Object loadOpenApi() {
    try (InputStream in = OperationsResource.class.getResourceAsStream("/api/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document /api/openapi.yaml is missing from the jar");
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Load(LoadSettings.builder().build()).loadFromString(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
