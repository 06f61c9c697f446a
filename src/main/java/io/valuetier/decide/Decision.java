package io.valuetier.decide;

import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One decision for one customer and its trace: the outputs marketing acts on, the rule-set and model versions that
 * produced them, the DMN rows that matched (with their reasons) and the guardrails that changed the action.
 *
 * @param proposedAction the action code the DMN proposed before the guardrails
 * @param matchedRows the selected DMN rows, e.g. {@code Value Tier#4;Marketing Action#3;Service Level#5}
 * @param rowReasons the annotations of those rows, in the same order
 * @param ruleSetRole which rule set decided: {@code champion} or {@code challenger}
 * @param controlGroup whether the customer is held out of the action as its control group (the action code stays;
 *     there is no channel, offer or cost, no contact is logged and no budget spent)
 * @param products the product picks the action carries, best first (empty: none)
 */
public record Decision(
    long decisionId,
    String customerId,
    Instant decidedAt,
    String ruleSetVersion,
    String ruleSetRole,
    String modelId,
    String modelVersion,
    String valueTier,
    String actionCode,
    String channel,
    String offer,
    Integer priority,
    BigDecimal offerCost,
    String serviceLevel,
    BigDecimal predictedValue,
    boolean controlGroup,
    String proposedAction,
    String matchedRows,
    List<String> rowReasons,
    List<Intervention> interventions,
    List<String> firedRules,
    DecisionInput input,
    List<ProductPick> products) {

  /** A decision without products. */
  public Decision(
      long decisionId, String customerId, Instant decidedAt, String ruleSetVersion, String ruleSetRole, String modelId,
      String modelVersion, String valueTier, String actionCode, String channel, String offer, Integer priority,
      BigDecimal offerCost, String serviceLevel, BigDecimal predictedValue, boolean controlGroup, String proposedAction,
      String matchedRows, List<String> rowReasons, List<Intervention> interventions, List<String> firedRules,
      DecisionInput input) {
    this(decisionId, customerId, decidedAt, ruleSetVersion, ruleSetRole, modelId, modelVersion, valueTier, actionCode,
        channel, offer, priority, offerCost, serviceLevel, predictedValue, controlGroup, proposedAction, matchedRows,
        rowReasons, interventions, firedRules, input, List.of());
  }

  public Decision {
    products = products == null ? List.of() : products;
  }

  /** Whether the decision contacts the customer (the action has a channel and the customer is not held out). */
  public boolean isContact() {
    return channel != null && !controlGroup;
  }

  /** All reasons in words: the matched rows' annotations, then the guardrails' reasons. */
  public String reasons() {
    return reasons(rowReasons, interventions);
  }

  /** Rows' annotations, then the guardrails' reasons as {@code CODE: reason}, joined by {@code " | "}. */
  public static String reasons(List<String> rowReasons, List<Intervention> interventions) {
    StringBuilder sb = new StringBuilder(256);
    for (String r : rowReasons) {
      append(sb, r);
    }
    for (Intervention i : interventions) {
      append(sb, i.code() + ": " + i.reason());
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String s) {
    if (s == null || s.isEmpty()) {
      return;
    }
    if (!sb.isEmpty()) {
      sb.append(" | ");
    }
    sb.append(s);
  }

  /** The reason codes of the guardrails that changed the action, joined by '+', or empty. */
  public String guardrailCodes() {
    StringBuilder sb = new StringBuilder();
    for (Intervention i : interventions) {
      if (!sb.isEmpty()) {
        sb.append('+');
      }
      sb.append(i.code());
    }
    return sb.toString();
  }
}
