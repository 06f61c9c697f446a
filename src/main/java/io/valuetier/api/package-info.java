/**
 * The REST API of {@code valuetier serve}, on Camel's platform-http: decisions for one customer, the decision trace,
 * what-if simulations, rule administration, models, health and Prometheus metrics, described by an OpenAPI document.
 * Every endpoint but {@code /health} is keyed by role ({@link io.valuetier.api.ApiKeys}), rate-limited per key, reads
 * bounded JSON only ({@link io.valuetier.api.RequestJson}) and answers errors as problem documents that never show
 * internals ({@link io.valuetier.api.Problem}).
 */
package io.valuetier.api;
