package io.valuetier.decide.guardrails;

import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The fact the DRL guardrails act on: the marketing action the DMN proposed for one customer plus the facts the
 * guardrails need. A guardrail changes it through {@link #stopContact} or {@link #dropOffer}, which record an
 * {@link Intervention} with the reason. An empty (null) channel means no marketing contact.
 */
public final class ProposedAction {
  private final int index;
  private final String customerId;
  private String actionCode;
  private String channel;
  private String offer;
  private Integer priority;
  private BigDecimal offerCost;
  private final BigDecimal predictedSpend;
  private final Boolean marketingConsent;
  private final Integer openComplaints;
  private final Boolean fraudFlag;
  private final int recentContacts;
  private boolean budgetGranted;
  private boolean controlGroup;
  private String firingRule;
  private List<Intervention> interventions = List.of();
  private List<String> firedRules = List.of();
  private List<ProductPick> products = List.of();

  public ProposedAction(
      int index,
      String customerId,
      String actionCode,
      String channel,
      String offer,
      Integer priority,
      BigDecimal offerCost,
      BigDecimal predictedSpend,
      Boolean marketingConsent,
      Integer openComplaints,
      Boolean fraudFlag,
      int recentContacts) {
    this.index = index;
    this.customerId = customerId;
    this.actionCode = actionCode;
    this.channel = channel;
    this.offer = offer;
    this.priority = priority;
    this.offerCost = offerCost == null ? BigDecimal.ZERO : offerCost;
    this.predictedSpend = predictedSpend;
    this.marketingConsent = marketingConsent;
    this.openComplaints = openComplaints;
    this.fraudFlag = fraudFlag;
    this.recentContacts = recentContacts;
  }

  /**
   * Stops the marketing contact: the action becomes {@code actionCode} with no channel and no offer.
   *
   * @param code the reason code recorded in the trace
   * @param reason the reason in words
   */
  public void stopContact(String actionCode, String code, String reason) {
    this.actionCode = actionCode;
    this.channel = null;
    this.offer = null;
    this.offerCost = BigDecimal.ZERO;
    this.products = List.of();
    record(code, reason);
  }

  /** Keeps the contact but withdraws the offer (and its cost). */
  public void dropOffer(String code, String reason) {
    this.offer = null;
    this.offerCost = BigDecimal.ZERO;
    record(code, reason);
  }

  /**
   * Holds the customer out of the action as its control group: the action code stays (so outcomes can be compared
   * per action and tier), but there is no channel, no offer and no cost, so no contact is made and no budget spent.
   * Called by the engine after the customer-stage guardrails, not by the DRL.
   */
  public void holdOut(String code, String rule, String reason) {
    this.channel = null;
    this.offer = null;
    this.offerCost = BigDecimal.ZERO;
    this.controlGroup = true;
    this.products = List.of();
    if (interventions.isEmpty()) {
      interventions = new ArrayList<>(2);
    }
    interventions.add(new Intervention(code, rule, reason));
  }

  /**
   * Sets the products the action carries (the engine, after the DMN said how many, before the guardrails).
   */
  public void setProducts(List<ProductPick> picks) {
    this.products = picks == null ? List.of() : List.copyOf(picks);
  }

  /** The products the action carries, best first. */
  public List<ProductPick> getProducts() {
    return products;
  }

  /** How many of the products the catalogue says are out of stock. */
  public int getOutOfStockProducts() {
    int n = 0;
    for (ProductPick p : products) {
      if (p.outOfStock()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Drops the products the catalogue says are out of stock. The reason does not list them (the kept products are in
   * the decision), so that decisions with the same outcome share its stored trace.
   */
  public void dropOutOfStockProducts(String code, String reason) {
    List<ProductPick> kept = new ArrayList<>(products.size());
    for (ProductPick p : products) {
      if (!p.outOfStock()) {
        kept.add(p);
      }
    }
    this.products = List.copyOf(kept);
    record(code, reason);
  }

  /** Drops every product of the action (the contact and offer stay). */
  public void dropProducts(String code, String reason) {
    this.products = List.of();
    record(code, reason);
  }

  /** Whether the customer was held out of the action as its control group. */
  public boolean isControlGroup() {
    return controlGroup;
  }

  private void record(String code, String reason) {
    if (interventions.isEmpty()) {
      interventions = new ArrayList<>(2);
    }
    interventions.add(new Intervention(code, firingRule, reason));
  }

  /** Set by the engine before a rule's consequence runs, so that interventions name their rule. */
  void firing(String ruleName) {
    this.firingRule = ruleName;
    if (firedRules.isEmpty()) {
      firedRules = new ArrayList<>(2);
    }
    firedRules.add(ruleName);
  }

  /** Whether the action contacts the customer (it has a channel). */
  public boolean isContact() {
    return channel != null;
  }

  /** Whether the action carries an offer that costs money. */
  public boolean isCostly() {
    return channel != null && offerCost.signum() > 0;
  }

  public int getIndex() {
    return index;
  }

  public String getCustomerId() {
    return customerId;
  }

  public String getActionCode() {
    return actionCode;
  }

  public String getChannel() {
    return channel;
  }

  public String getOffer() {
    return offer;
  }

  public Integer getPriority() {
    return priority;
  }

  public BigDecimal getOfferCost() {
    return offerCost;
  }

  public BigDecimal getPredictedSpend() {
    return predictedSpend;
  }

  public Boolean getMarketingConsent() {
    return marketingConsent;
  }

  public Integer getOpenComplaints() {
    return openComplaints;
  }

  public Boolean getFraudFlag() {
    return fraudFlag;
  }

  public int getRecentContacts() {
    return recentContacts;
  }

  public boolean isBudgetGranted() {
    return budgetGranted;
  }

  public void setBudgetGranted(boolean granted) {
    this.budgetGranted = granted;
  }

  /** The guardrails that changed this action, in the order they fired. */
  public List<Intervention> getInterventions() {
    return interventions;
  }

  /** The names of every guardrail rule that fired on this action. */
  public List<String> getFiredRules() {
    return firedRules;
  }
}
