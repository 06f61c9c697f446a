/**
 * Features: what each customer's cleaned history says at a cutoff date, as numbers a model can read.
 *
 * <p>One pass over the transactions builds a {@link io.valuetier.features.CustomerLog} (one record per customer and
 * purchase day, returns netted); {@link io.valuetier.features.FeatureBuilder} turns a customer's days up to a cutoff
 * into the {@link io.valuetier.features.Feature} vector, and {@link io.valuetier.features.Targets} measures what the
 * customer did in the horizon after it. Rates are per 30 days so that a model trained at one cutoff applies at
 * another.
 */
package io.valuetier.features;
