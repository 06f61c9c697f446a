package io.valuetier.model;

/**
 * What a model predicts for one customer over its horizon.
 *
 * @param spend expected net spend
 * @param probability probability of at least one purchase
 */
public record Prediction(double spend, double probability) {}
