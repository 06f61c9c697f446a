package io.valuetier.decide;

import io.valuetier.decide.dmn.DmnEvaluationException;
import io.valuetier.decide.dmn.DmnResult;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.guardrails.Guardrails;
import io.valuetier.decide.guardrails.ProposedAction;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The decision pipeline, without storage: DMN tables, then the per-customer guardrails, then the control groups, then
 * the budget ledger and the budget guardrails. Online ({@link #decideOne}) and batch ({@link #evaluate} then
 * {@link #finish}) take the same steps; the batch only defers the budget until every customer's action is known.
 *
 * <p>Every decision is made entirely by one rule set: the champion, or the challenger for the customers assigned to it
 * (the DMN and both guardrail stages of that rule set), so neither a reload nor a challenger mixes two versions in a
 * decision. The offer budget is one ledger for both: it goes by descending predicted value whoever proposed the offer.
 *
 * <p>Control groups are applied after the customer-stage guardrails and before the budget: only a customer who would
 * really be contacted can be held out (not one the guardrails already stopped), and a held-out customer is no longer
 * a costly offer, so the ledger never grants budget to somebody who will not receive the offer; the budget goes to
 * treated customers further down the value order instead.
 */
public final class DecisionEngine {
  /** The intervention code of a customer held out as a control group. */
  public static final String CONTROL_GROUP = "CONTROL_GROUP";

  private final RuleSet ruleSet;
  private final Challenger challenger;
  private final ControlGroups control;
  private final GuardrailParameters params;
  private PickSource picks;
  private int maxProducts;

  /**
   * Where the engine finds the customers' product picks, best first: one call per chunk of customers, for those whose
   * action carries products. A customer missing from the answer gets none.
   */
  @FunctionalInterface
  public interface PickSource {
    Map<String, List<ProductPick>> picksOf(List<String> customerIds);
  }

  /** One customer between the per-customer stage and the budget stage. */
  public static final class Staged {
    final DecisionInput input;
    final DmnResult outcome;
    final ProposedAction action;
    final RuleSet ruleSet;
    final String role;

    Staged(DecisionInput input, DmnResult outcome, ProposedAction action, RuleSet ruleSet, String role) {
      this.input = input;
      this.outcome = outcome;
      this.action = action;
      this.ruleSet = ruleSet;
      this.role = role;
    }

    /** The action as it stands (after the guardrails run so far). */
    public ProposedAction action() {
      return action;
    }

    public DecisionInput input() {
      return input;
    }

    /** The role of the rule set deciding this customer: champion or challenger. */
    public String role() {
      return role;
    }
  }

  /** The champion alone, no control groups (analyst tests, what-if simulations, benchmarks). */
  public DecisionEngine(RuleSet ruleSet, GuardrailParameters params) {
    this(ruleSet, params, ControlGroups.none(), null);
  }

  /**
   * @param champion decides every customer not assigned to the challenger
   * @param control the control groups held out of each action ({@link ControlGroups#none()} for none)
   * @param challenger the challenger and its share, or null
   */
  public DecisionEngine(RuleSet champion, GuardrailParameters params, ControlGroups control, Challenger challenger) {
    this.ruleSet = champion;
    this.params = params;
    this.control = control == null ? ControlGroups.none() : control;
    this.challenger = challenger == null || challenger.share() <= 0 ? null : challenger;
  }

  /**
   * The engine of a registry as it stands: its active rule set as champion, its challenger (if any) and the control
   * groups. Take a new one per run or per online decision, so a reload in between is picked up.
   */
  public static DecisionEngine of(
      RuleSetRegistry registry, GuardrailParameters params, ControlGroups control) {
    return new DecisionEngine(registry.active(), params, control, registry.challenger().orElse(null));
  }

  /**
   * The rule sets that decide, as recorded with a run ({@code decision_runs.rule_set}): the champion's version, plus
   * {@code +} the challenger's when one decides a share of the customers.
   */
  public String ruleSetKey() {
    return challenger == null ? ruleSet.version() : ruleSet.version() + "+" + challenger.ruleSet().version();
  }

  /**
   * Lets actions carry products: as many of the customer's picks from {@code source} as the DMN's "Products" column
   * says, at most {@code max}. Without this call no action carries products. Returns this engine.
   */
  public DecisionEngine withPicks(PickSource source, int max) {
    this.picks = source;
    this.maxProducts = max;
    return this;
  }

  /** The champion rule set. */
  public RuleSet ruleSet() {
    return ruleSet;
  }

  /** The challenger, if one decides a share of the customers. */
  public Optional<Challenger> challenger() {
    return Optional.ofNullable(challenger);
  }

  public ControlGroups control() {
    return control;
  }

  public GuardrailParameters params() {
    return params;
  }

  /** Decides one customer completely; the budget is drawn first come, first served from {@code ledger}. */
  public Decision decideOne(DecisionInput in, BudgetLedger ledger, long decisionId, Instant at) {
    List<Staged> staged = evaluate(List.of(in), 0);
    Staged s = staged.get(0);
    if (s.action.isCostly() && !ledger.tryGrant(s.action)) {
      applyBudgetStaged(List.of(s));
    }
    return finish(s, decisionId, at);
  }

  /** DMN and per-customer guardrails for a chunk of customers; fails on the first customer the DMN cannot decide. */
  public List<Staged> evaluate(List<DecisionInput> inputs, int firstIndex) {
    return evaluate(inputs, firstIndex, e -> {
      throw e;
    });
  }

  /**
   * DMN, per-customer guardrails and control groups for a chunk of customers; {@code firstIndex} numbers them within
   * the run. A customer the DMN cannot decide goes to {@code failed} and is left out.
   */
  public List<Staged> evaluate(List<DecisionInput> inputs, int firstIndex, Consumer<DmnEvaluationException> failed) {
    List<Staged> out = new ArrayList<>(inputs.size());
    List<ProposedAction> championActions = new ArrayList<>(inputs.size());
    List<ProposedAction> challengerActions = challenger == null ? List.of() : new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      DecisionInput in = inputs.get(i);
      boolean challenged = challenger != null && challenger.assigned(in.customerId());
      RuleSet rs = challenged ? challenger.ruleSet() : ruleSet;
      DmnResult o;
      try {
        o = rs.model().evaluate(in);
      } catch (DmnEvaluationException e) {
        failed.accept(e);
        continue;
      }
      ProposedAction a =
          new ProposedAction(
              firstIndex + i,
              in.customerId(),
              o.actionCode(),
              o.channel(),
              o.offer(),
              o.priority(),
              o.offerCost(),
              in.predictedSpend(),
              in.marketingConsent(),
              in.openComplaints() == null ? null : in.openComplaints().intValue(),
              in.fraudFlag(),
              in.recentContacts());
      out.add(new Staged(in, o, a, rs, challenged ? Challenger.CHALLENGER : Challenger.CHAMPION));
      (challenged ? challengerActions : championActions).add(a);
    }
    attachProducts(out);
    ruleSet.guardrails().apply(championActions, Guardrails.CUSTOMER_STAGE, params);
    if (!challengerActions.isEmpty()) {
      challenger.ruleSet().guardrails().apply(challengerActions, Guardrails.CUSTOMER_STAGE, params);
    }
    if (control.enabled()) {
      for (Staged s : out) {
        holdOutIfControl(s.action);
      }
    }
    return out;
  }

  /** Gives each contact whose DMN row asks for products that many of the customer's picks (before the guardrails). */
  private void attachProducts(List<Staged> staged) {
    if (picks == null || maxProducts <= 0) {
      return;
    }
    List<String> ids = new ArrayList<>();
    for (Staged s : staged) {
      if (s.outcome.products() > 0 && s.action.isContact()) {
        ids.add(s.input.customerId());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    Map<String, List<ProductPick>> found = picks.picksOf(ids);
    for (Staged s : staged) {
      List<ProductPick> p = s.outcome.products() > 0 && s.action.isContact() ? found.get(s.input.customerId()) : null;
      if (p != null && !p.isEmpty()) {
        s.action.setProducts(p.subList(0, Math.min(p.size(), Math.min(maxProducts, s.outcome.products()))));
      }
    }
  }

  /** Holds the customer out of a contact when the customer is in that action's control group. */
  private void holdOutIfControl(ProposedAction a) {
    if (!a.isContact() || !control.heldOut(a.getCustomerId(), a.getActionCode())) {
      return;
    }
    String percent = new BigDecimal(control.share(a.getActionCode()) * 100)
        .setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    a.holdOut(CONTROL_GROUP, "control group (valuetier.feedback.control.share)",
        "held out as the control group of " + a.getActionCode() + " (" + percent
            + "% of customers, chosen by id): no contact, no offer, no budget, to measure the action's uplift");
  }

  /** Runs the champion's budget guardrails on the actions the ledger refused (an engine without challenger). */
  public void applyBudget(List<ProposedAction> refused) {
    ruleSet.guardrails().apply(refused, Guardrails.BUDGET_STAGE, params);
  }

  /** Runs the budget guardrails of each customer's own rule set on the staged customers the ledger refused. */
  public void applyBudgetStaged(List<Staged> refused) {
    List<ProposedAction> champion = new ArrayList<>(refused.size());
    List<ProposedAction> challenged = new ArrayList<>();
    for (Staged s : refused) {
      (Challenger.CHALLENGER.equals(s.role) ? challenged : champion).add(s.action);
    }
    ruleSet.guardrails().apply(champion, Guardrails.BUDGET_STAGE, params);
    if (!challenged.isEmpty()) {
      challenger.ruleSet().guardrails().apply(challenged, Guardrails.BUDGET_STAGE, params);
    }
  }

  /** The final decision of a staged customer. */
  public Decision finish(Staged s, long decisionId, Instant at) {
    ProposedAction a = s.action;
    DmnResult o = s.outcome;
    return new Decision(
        decisionId,
        s.input.customerId(),
        at,
        s.ruleSet.version(),
        s.role,
        s.input.modelId(),
        s.input.modelVersion(),
        o.valueTier(),
        a.getActionCode(),
        a.getChannel(),
        a.getOffer(),
        a.getPriority(),
        a.getOfferCost() == null ? BigDecimal.ZERO : a.getOfferCost(),
        o.serviceLevel(),
        s.input.predictedSpend(),
        a.isControlGroup(),
        o.actionCode(),
        s.ruleSet.model().describeRows(o.matchedRows()),
        s.ruleSet.model().reasons(o.matchedRows()),
        a.getInterventions(),
        a.getFiredRules(),
        s.input,
        a.getProducts());
  }

  /**
   * Decides a population in memory with the batch's semantics (DMN and customer guardrails, then the offer budget
   * granted by descending predicted value over the whole population, then the budget guardrails), storing nothing:
   * the base of what-if simulations. Decision ids are 1..n in input order.
   *
   * @param failed receives customers the DMN cannot decide (they are left out)
   */
  public List<Decision> decideAll(List<DecisionInput> inputs, Instant at, Consumer<DmnEvaluationException> failed) {
    List<Staged> staged = evaluate(inputs, 0, failed);
    List<ProposedAction> costly = new ArrayList<>();
    for (Staged s : staged) {
      if (s.action.isCostly()) {
        costly.add(s.action);
      }
    }
    BudgetLedger ledger = new BudgetLedger(params.offerBudget());
    ledger.grantInOrder(costly);
    List<Staged> refused = new ArrayList<>();
    for (Staged s : staged) {
      if (s.action.isCostly() && !s.action.isBudgetGranted()) {
        refused.add(s);
      }
    }
    applyBudgetStaged(refused);
    List<Decision> out = new ArrayList<>(staged.size());
    for (Staged s : staged) {
      out.add(finish(s, s.action.getIndex() + 1L, at));
    }
    return out;
  }
}
