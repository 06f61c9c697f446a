package io.valuetier.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One customer's score: what the decision stage reads.
 *
 * @param customerId the customer
 * @param spend predicted net spend over the horizon
 * @param probability probability of at least one purchase over the horizon
 * @param coldStart too little history for a confident prediction (see {@code valuetier.model.cold-start.*})
 * @param purchased whether the customer had bought by the cutoff (false: no history, nothing predicted)
 * @param tenureDays days since the first purchase
 * @param returnsRatio share of purchases returned
 * @param reasons the features that push the prediction most, strongest first
 * @param spendLow the lower bound of the prediction interval of {@code spend} (the model card gives its coverage), or
 *     null when the model gives none
 * @param spendHigh the upper bound, or null
 */
public record ScoredCustomer(
    String customerId,
    double spend,
    double probability,
    boolean coldStart,
    boolean purchased,
    int tenureDays,
    double returnsRatio,
    List<Reason> reasons,
    Double spendLow,
    Double spendHigh) {

  /** The same score with other reasons. */
  public ScoredCustomer withReasons(List<Reason> r) {
    return new ScoredCustomer(customerId, spend, probability, coldStart, purchased, tenureDays, returnsRatio, r,
        spendLow, spendHigh);
  }

  /** What the reasons of a customer who had not bought by the cutoff say. */
  public static final String NO_PURCHASE_REASON = "No purchase yet: no history to predict from";

  /** The reasons in words, strongest first; for a customer without a purchase, {@link #NO_PURCHASE_REASON}. */
  public List<String> reasonTexts() {
    List<String> t = new ArrayList<>(reasons.size() + 1);
    if (!purchased) {
      t.add(NO_PURCHASE_REASON);
    }
    for (Reason r : reasons) {
      t.add(r.text());
    }
    return t;
  }
}
