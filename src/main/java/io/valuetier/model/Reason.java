package io.valuetier.model;

/**
 * One of the features that push a customer's prediction most, with its share of the push (a TreeSHAP value, in the
 * units of the model's output) and the sentence a marketer reads.
 *
 * @param feature the feature id, such as {@code recency_days}
 * @param value the customer's value of the feature
 * @param contribution how much the feature moves the prediction away from the average customer's (signed)
 * @param horizonDays the horizon the model predicts over, which some sentences name
 */
public record Reason(String feature, double value, double contribution, int horizonDays) {

  /**
   * The reason in words, made when asked: the sentences of a million customers' reasons (about 370 MB) are not kept
   * on the heap while the whole population is scored, only written slice by slice.
   */
  public String text() {
    return ReasonText.phrase(feature, value, contribution, horizonDays);
  }
}
