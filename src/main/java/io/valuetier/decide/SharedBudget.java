package io.valuetier.decide;

import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * An offer budget kept in the store ({@code offer_budgets}, a row per budget) so that several processes deciding for
 * one shop (the Kafka workers of a group) draw from one budget instead of each from its own in-memory
 * {@link io.valuetier.decide.guardrails.BudgetLedger}. A draw is a conditional
 * {@code UPDATE ... SET remaining = remaining - cost WHERE budget_id = ? AND remaining >= cost} run on the connection of
 * the store transaction that records the decision: the row lock serialises concurrent draws, a draw that does not fit
 * changes nothing, and a rolled-back decision gives its draw back. First come, first served, as online.
 *
 * <p>Once the budget could not pay an offer, the committed remainder only goes down, so this process remembers the
 * smallest cost refused for a few seconds ({@link #knownShort}) and refuses offers at least that dear without locking
 * the row: a spent budget costs the workers nothing (a remainder raised by hand is seen again after that time).
 */
public final class SharedBudget {
  private static final long REMEMBER_REFUSAL_NANOS = 10_000_000_000L;

  private final String id;
  private volatile Refused refused;

  private record Refused(BigDecimal cost, long at) {}

  /** @param id the budget's row ({@code valuetier.kafka.budget-id} for the workers) */
  public SharedBudget(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * The budget {@code id}, created with {@code total} when the store does not have it yet (an existing row keeps what
   * it has left: the workers of a group and their restarts draw from one budget; a new id starts a new one).
   */
  public static SharedBudget open(Store store, String id, BigDecimal total) {
    if (total == null || total.signum() < 0) {
      throw new IllegalArgumentException("a shared offer budget needs a total of 0 or more, not " + total);
    }
    // INSERT IGNORE: two workers starting at once both try, one row results
    store.execute(Store.insertIgnore("offer_budgets", "budget_id,total,remaining,created_at"),
        id, total, total, Timestamp.from(Instant.now()));
    return new SharedBudget(id);
  }

  /** Draws {@code cost} on {@code c} (inside the caller's transaction); false, and nothing drawn, when it does not fit. */
  public boolean draw(Connection c, BigDecimal cost) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE offer_budgets SET remaining = remaining - ? WHERE budget_id = ? AND remaining >= ?")) {
      ps.setBigDecimal(1, cost);
      ps.setString(2, id);
      ps.setBigDecimal(3, cost);
      boolean drawn = ps.executeUpdate() == 1;
      if (!drawn) {
        Refused r = refused;
        if (r == null || cost.compareTo(r.cost()) < 0 || System.nanoTime() - r.at() > REMEMBER_REFUSAL_NANOS) {
          refused = new Refused(cost, System.nanoTime());
        }
      }
      return drawn;
    }
  }

  /** True when a draw of {@code cost} was refused lately (an offer at least as dear): no need to ask the store. */
  public boolean knownShort(BigDecimal cost) {
    Refused r = refused;
    return r != null && cost.compareTo(r.cost()) >= 0 && System.nanoTime() - r.at() <= REMEMBER_REFUSAL_NANOS;
  }

  /** What is left of the budget now (committed draws). */
  public BigDecimal remaining(Store store) {
    String v = store.queryString("SELECT remaining FROM offer_budgets WHERE budget_id = ?", id);
    if (v == null) {
      throw new StoreException("no offer budget " + id + " in the store");
    }
    return new BigDecimal(v);
  }
}
