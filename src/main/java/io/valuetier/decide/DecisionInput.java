package io.valuetier.decide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decision is made from: the customer's latest prediction and business facts. Facts the CRM does not know are
 * {@code null}; what a missing fact means is decided by the rules, not here.
 *
 * @param recentContacts marketing contacts already made within the contact-fatigue window
 * @param modelReasons the model's reasons for the prediction in words, strongest first (at most three, as scored;
 *     empty when the model gives none): carried into the stored decision and the published action
 * @param predictedSpendLow the lower bound of the prediction interval of {@code predictedSpend} (coverage in the model
 *     card), or null when the model gives none; the DMN sees it as Prediction.Predicted Spend Low when its Prediction
 *     type declares that component
 * @param predictedSpendHigh the upper bound, or null (Prediction.Predicted Spend High)
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
    int recentContacts,
    List<String> modelReasons,
    BigDecimal predictedSpendLow,
    BigDecimal predictedSpendHigh) {

  /** The model's reasons without blanks (a score may have fewer than three), at most {@value #MODEL_REASONS}. */
  public DecisionInput {
    List<String> r = new ArrayList<>(MODEL_REASONS);
    if (modelReasons != null) {
      for (String t : modelReasons) {
        if (t != null && !t.isBlank() && r.size() < MODEL_REASONS) {
          r.add(t);
        }
      }
    }
    modelReasons = List.copyOf(r);
  }

  /** How many of the model's reasons a decision keeps. */
  public static final int MODEL_REASONS = 3;

  /** An input without a prediction interval (the model gives none, or it is not known where it comes from). */
  public DecisionInput(
      String customerId, BigDecimal predictedSpend, BigDecimal valuePercentile, BigDecimal probabilityActive,
      boolean coldStart, String modelId, String modelVersion, BigDecimal tenureDays, BigDecimal returnsRatio,
      Boolean marketingConsent, Boolean loyaltyMember, BigDecimal openComplaints, Boolean fraudFlag, String country,
      String segment, int recentContacts, List<String> modelReasons) {
    this(customerId, predictedSpend, valuePercentile, probabilityActive, coldStart, modelId, modelVersion, tenureDays,
        returnsRatio, marketingConsent, loyaltyMember, openComplaints, fraudFlag, country, segment, recentContacts,
        modelReasons, null, null);
  }

  /** An input without the model's reasons (rule tests, inputs that come from no model). */
  public DecisionInput(
      String customerId, BigDecimal predictedSpend, BigDecimal valuePercentile, BigDecimal probabilityActive,
      boolean coldStart, String modelId, String modelVersion, BigDecimal tenureDays, BigDecimal returnsRatio,
      Boolean marketingConsent, Boolean loyaltyMember, BigDecimal openComplaints, Boolean fraudFlag, String country,
      String segment, int recentContacts) {
    this(customerId, predictedSpend, valuePercentile, probabilityActive, coldStart, modelId, modelVersion, tenureDays,
        returnsRatio, marketingConsent, loyaltyMember, openComplaints, fraudFlag, country, segment, recentContacts,
        List.of());
  }

  /** A copy with another count of recent contacts. */
  public DecisionInput withRecentContacts(int n) {
    return new DecisionInput(
        customerId, predictedSpend, valuePercentile, probabilityActive, coldStart, modelId, modelVersion, tenureDays,
        returnsRatio, marketingConsent, loyaltyMember, openComplaints, fraudFlag, country, segment, n, modelReasons,
        predictedSpendLow, predictedSpendHigh);
  }

  /** A copy with another prediction interval (null bounds: none). */
  public DecisionInput withInterval(BigDecimal low, BigDecimal high) {
    return new DecisionInput(
        customerId, predictedSpend, valuePercentile, probabilityActive, coldStart, modelId, modelVersion, tenureDays,
        returnsRatio, marketingConsent, loyaltyMember, openComplaints, fraudFlag, country, segment, recentContacts,
        modelReasons, low, high);
  }

  /** The model's reason {@code k} (0-based), or null when there are fewer. */
  public String modelReason(int k) {
    return k < modelReasons.size() ? modelReasons.get(k) : null;
  }
}
