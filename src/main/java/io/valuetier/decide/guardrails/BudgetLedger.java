package io.valuetier.decide.guardrails;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The offer budget of one decision run. In a batch, {@link #grantInOrder} hands the budget to costly actions by
 * descending predicted value (ties by customer id) and stops at the first one it cannot pay: no cheaper offer of a
 * less valuable customer jumps the queue. Online, {@link #tryGrant} serves first come, first served.
 */
public final class BudgetLedger {
  private final BigDecimal limit;
  private BigDecimal spent = BigDecimal.ZERO;
  private long granted;
  private long refused;

  /** A ledger with {@code limit} to spend; null means unlimited. */
  public BudgetLedger(BigDecimal limit) {
    this.limit = limit;
  }

  /** Grants the budget to {@code candidates} (costly actions) by descending predicted value; marks each action. */
  public synchronized void grantInOrder(List<ProposedAction> candidates) {
    List<ProposedAction> sorted = new ArrayList<>(candidates);
    sorted.sort(
        Comparator.comparing(
                ProposedAction::getPredictedSpend, Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()))
            .thenComparing(ProposedAction::getCustomerId));
    boolean open = true;
    for (ProposedAction a : sorted) {
      open = open && fits(a.getOfferCost());
      grant(a, open);
    }
  }

  /** Grants one action if the budget still covers it. */
  public synchronized boolean tryGrant(ProposedAction a) {
    boolean ok = fits(a.getOfferCost());
    grant(a, ok);
    return ok;
  }

  private boolean fits(BigDecimal cost) {
    return limit == null || spent.add(cost).compareTo(limit) <= 0;
  }

  private void grant(ProposedAction a, boolean ok) {
    a.setBudgetGranted(ok);
    if (ok) {
      spent = spent.add(a.getOfferCost());
      granted++;
    } else {
      refused++;
    }
  }

  public synchronized BigDecimal spent() {
    return spent;
  }

  /** The budget, or null when unlimited. */
  public BigDecimal limit() {
    return limit;
  }

  public synchronized long granted() {
    return granted;
  }

  public synchronized long refused() {
    return refused;
  }
}
