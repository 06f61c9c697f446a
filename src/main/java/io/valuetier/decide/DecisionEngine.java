package io.valuetier.decide;

import io.valuetier.decide.dmn.DmnEvaluationException;
import io.valuetier.decide.dmn.DmnOutcome;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.guardrails.Guardrails;
import io.valuetier.decide.guardrails.ProposedAction;
import io.valuetier.decide.rules.RuleSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The decision pipeline for one rule set, without storage: DMN tables, then the per-customer guardrails, then the
 * budget ledger and the budget guardrails. Online ({@link #decideOne}) and batch ({@link #evaluate} then
 * {@link #finish}) take the same steps; the batch only defers the budget until every customer's action is known.
 * Every decision is made entirely by the one rule set passed in, so a reload never mixes two versions in a decision.
 */
public final class DecisionEngine {
  private final RuleSet ruleSet;
  private final GuardrailParameters params;

  /** One customer between the per-customer stage and the budget stage. */
  public static final class Staged {
    final DecisionInput input;
    final DmnOutcome outcome;
    final ProposedAction action;

    Staged(DecisionInput input, DmnOutcome outcome, ProposedAction action) {
      this.input = input;
      this.outcome = outcome;
      this.action = action;
    }

    /** The action as it stands (after the guardrails run so far). */
    public ProposedAction action() {
      return action;
    }

    public DecisionInput input() {
      return input;
    }
  }

  public DecisionEngine(RuleSet ruleSet, GuardrailParameters params) {
    this.ruleSet = ruleSet;
    this.params = params;
  }

  public RuleSet ruleSet() {
    return ruleSet;
  }

  public GuardrailParameters params() {
    return params;
  }

  /** Decides one customer completely; the budget is drawn first come, first served from {@code ledger}. */
  public Decision decideOne(DecisionInput in, BudgetLedger ledger, long decisionId, Instant at) {
    List<Staged> staged = evaluate(List.of(in), 0);
    Staged s = staged.get(0);
    if (s.action.isCostly() && !ledger.tryGrant(s.action)) {
      ruleSet.guardrails().apply(List.of(s.action), Guardrails.BUDGET_STAGE, params);
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
   * DMN and per-customer guardrails for a chunk of customers; {@code firstIndex} numbers them within the run. A
   * customer the DMN cannot decide goes to {@code failed} and is left out.
   */
  public List<Staged> evaluate(List<DecisionInput> inputs, int firstIndex, Consumer<DmnEvaluationException> failed) {
    List<Staged> out = new ArrayList<>(inputs.size());
    List<ProposedAction> actions = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      DecisionInput in = inputs.get(i);
      DmnOutcome o;
      try {
        o = ruleSet.model().evaluate(in);
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
      out.add(new Staged(in, o, a));
      actions.add(a);
    }
    ruleSet.guardrails().apply(actions, Guardrails.CUSTOMER_STAGE, params);
    return out;
  }

  /** Runs the budget guardrails on the actions the ledger refused. */
  public void applyBudget(List<ProposedAction> refused) {
    ruleSet.guardrails().apply(refused, Guardrails.BUDGET_STAGE, params);
  }

  /** The final decision of a staged customer. */
  public Decision finish(Staged s, long decisionId, Instant at) {
    ProposedAction a = s.action;
    DmnOutcome o = s.outcome;
    return new Decision(
        decisionId,
        s.input.customerId(),
        at,
        ruleSet.version(),
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
        false,
        o.actionCode(),
        ruleSet.model().describeRows(o.matchedRows()),
        ruleSet.model().reasons(o.matchedRows()),
        a.getInterventions(),
        a.getFiredRules(),
        s.input);
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
    List<ProposedAction> refused = new ArrayList<>();
    for (ProposedAction a : costly) {
      if (!a.isBudgetGranted()) {
        refused.add(a);
      }
    }
    applyBudget(refused);
    List<Decision> out = new ArrayList<>(staged.size());
    for (Staged s : staged) {
      out.add(finish(s, s.action.getIndex() + 1L, at));
    }
    return out;
  }
}
