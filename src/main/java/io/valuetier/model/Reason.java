package io.valuetier.model;

/**
 * One of the features that push a customer's prediction most, with its share of the push (a TreeSHAP value, in the
 * units of the model's output) and the sentence a marketer reads.
 *
 * @param feature the feature id, such as {@code recency_days}
 * @param value the customer's value of the feature
 * @param contribution how much the feature moves the prediction away from the average customer's (signed)
 * @param text the reason in words
 */
public record Reason(String feature, double value, double contribution, String text) {}
