package io.valuetier.api;

import io.valuetier.api.ApiKeys.Role;
import io.valuetier.model.registry.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The model endpoint (bean {@code modelsApi} of {@code routes/api.camel.yaml}): the champion and the registered
 * models (analyst or admin). Keys, roles, rate limit and problem answers are the {@link ApiGuard}'s.
 */
public final class ModelsResource {
  private final ApiGuard guard;
  private final ModelRegistry models;

  ModelsResource(ApiGuard guard, ModelRegistry models) {
    this.guard = guard;
    this.models = models;
  }

  /** {@code GET /api/v1/models}: the champion and every registered model with its card's headline. */
  public void models(Exchange ex) {
    guard.answer(ex, "GET /api/v1/models", e -> {
      guard.authorize(e, Role.ANALYST, Role.ADMIN);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("champion", models.champion().orElse(null));
      m.put("models", models.cards());
      return m;
    });
  }
}
