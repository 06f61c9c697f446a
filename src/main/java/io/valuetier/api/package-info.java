/**
 * The REST API of {@code valuetier serve}, on Camel's platform-http: decisions for one customer, the decision trace,
 * what-if simulations, rule administration, models, health and Prometheus metrics, described by an OpenAPI document.
 */
package io.valuetier.api;
