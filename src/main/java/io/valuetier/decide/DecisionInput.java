package io.valuetier.decide;

import java.math.BigDecimal;

/**
 * What a decision is made from: the customer's latest prediction and business facts. Facts the CRM does not know are
 * {@code null}; what a missing fact means is decided by the rules, not here.
 *
 * @param recentContacts marketing contacts already made within the contact-fatigue window
 */
public record DecisionInput(
    String customerId,
    BigDecimal predictedSpend,
    BigDecimal valuePercentile,
    BigDecimal probabilityActive,
    boolean coldStart,
    String modelId,
    String modelVersion,
    BigDecimal tenureDays,
    BigDecimal returnsRatio,
    Boolean marketingConsent,
    Boolean loyaltyMember,
    BigDecimal openComplaints,
    Boolean fraudFlag,
    String country,
    String segment,
    int recentContacts) {

  /** A copy with another count of recent contacts. */
  public DecisionInput withRecentContacts(int n) {
    return new DecisionInput(
        customerId, predictedSpend, valuePercentile, probabilityActive, coldStart, modelId, modelVersion, tenureDays,
        returnsRatio, marketingConsent, loyaltyMember, openComplaints, fraudFlag, country, segment, n);
  }
}
