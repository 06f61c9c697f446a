package io.valuetier.decide;

import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.GroupCommit;
import io.valuetier.store.Store;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides one customer at a time with the active rule set, for online callers (the REST API): tier, action, service
 * level, reasons, decision id and trace. Each call takes the active rule set once, so a reload in between never mixes
 * two versions in one decision. When a store is given, each decision and its contact are recorded; the offer budget
 * is drawn first come, first served (a batch run grants it by descending value instead).
 *
 * <p>Concurrent callers share commits ({@link GroupCommit}): the decisions of requests that arrive while another
 * request's decision is being written are written together in one transaction, and each call returns only once its
 * own decision is committed. A lone request is written at once, alone.
 */
public final class DecisionService {
  /** The most decisions written in one commit unless told otherwise. */
  public static final int DEFAULT_MAX_BATCH = 64;

  private final RuleSetRegistry registry;
  private final DecisionLog log;
  private final DecisionInputs inputs;
  private final GuardrailParameters params;
  private final BudgetLedger ledger;
  private volatile DecisionEngine.PickSource picks;
  private volatile int maxProducts;
  private final ControlGroups control;
  private final GroupCommit<Decision> commits;
  private final AtomicLong sequence = new AtomicLong();
  private volatile long runId = -1;

  /**
   * @param log where decisions are recorded (and inputs read from), or null to decide without recording (simulation)
   */
  public DecisionService(RuleSetRegistry registry, DecisionLog log, GuardrailParameters params) {
    this(registry, log, params, ControlGroups.none());
  }

  /**
   * @param log where decisions are recorded (and inputs read from), or null to decide without recording (simulation)
   * @param control the control groups held out of each action
   */
  public DecisionService(
      RuleSetRegistry registry, DecisionLog log, GuardrailParameters params, ControlGroups control) {
    this(registry, log, params, control, DEFAULT_MAX_BATCH);
  }

  /**
   * @param log where decisions are recorded (and inputs read from), or null to decide without recording (simulation)
   * @param control the control groups held out of each action
   * @param maxBatch the most decisions of concurrent requests written in one commit
   */
  public DecisionService(
      RuleSetRegistry registry, DecisionLog log, GuardrailParameters params, ControlGroups control, int maxBatch) {
    this.control = control;
    this.registry = registry;
    this.log = log;
    this.inputs = log == null ? null : new DecisionInputs(log.store());
    this.params = params;
    this.ledger = new BudgetLedger(params.offerBudget());
    // the caller receives the action in the response: that is its delivery, so the contact counts at once
    this.commits = log == null ? null : new GroupCommit<>(batch -> log.writeAnswered(batch, run()), maxBatch);
  }

  /**
   * Lets the actions of this service carry products from {@code source} (see {@link DecisionEngine#withPicks}).
   * Returns this service.
   */
  public DecisionService withPicks(DecisionEngine.PickSource source, int max) {
    this.picks = source;
    this.maxProducts = max;
    return this;
  }

  /** The guardrail parameters decisions are made with (the contact-fatigue window among them). */
  public GuardrailParameters params() {
    return params;
  }

  /**
   * Decides for {@code input} with the active rule set, or the challenger when the customer is assigned to it (and
   * records it when the service has a store); the trace names the rule set and its role.
   */
  public Decision decide(DecisionInput input) {
    return decide(DecisionEngine.of(registry, params, control), input);
  }

  /** Decides with a given rule set alone (no challenger); the trace names the rule set that decided. */
  public Decision decide(RuleSet ruleSet, DecisionInput input) {
    return decide(new DecisionEngine(ruleSet, params, control, null), input);
  }

  private Decision decide(DecisionEngine engine, DecisionInput input) {
    return decide(engine, input, picks);
  }

  private Decision decide(DecisionEngine engine, DecisionInput input, DecisionEngine.PickSource source) {
    Decision d = decideOnly(engine, input, source);
    if (commits != null) {
      commits.commit(d);
    }
    return d;
  }

  private Decision decideOnly(DecisionEngine engine, DecisionInput input, DecisionEngine.PickSource source) {
    return decideOnly(engine, input, source, ledger);
  }

  private Decision decideOnly(
      DecisionEngine engine, DecisionInput input, DecisionEngine.PickSource source, BudgetLedger from) {
    long id = log == null ? sequence.incrementAndGet() : DecisionLog.firstDecisionId(run()) + sequence.incrementAndGet();
    if (source != null) {
      engine.withPicks(source, maxProducts);
    }
    return engine.decideOne(input, from, id, Instant.now());
  }

  /**
   * Decides as {@link #decide(DecisionInput)} does (active rule set or challenger, guardrails, decision id of this
   * service's run) but does not record the decision: the caller records it with {@link #record}, together with its
   * own writes in one store transaction.
   */
  public Decision decideUnrecorded(DecisionInput input) {
    return decideOnly(DecisionEngine.of(registry, params, control), input, picks);
  }

  /**
   * Records decisions made by {@link #decideUnrecorded} (with their trace and contacts, counted at once as an answered
   * decision's are) and runs {@code alongside} in the same store transaction.
   */
  public void record(List<Decision> decided, Store.TransactionWork<?> alongside) {
    if (log == null) {
      throw new IllegalStateException("this service has no store to record decisions in");
    }
    log.writeAnswered(decided, run(), alongside);
  }

  /** Work done in the store transaction that records a decision, given the decision. */
  @FunctionalInterface
  public interface Alongside {
    void run(Connection c, Decision d) throws SQLException;
  }

  /**
   * Decides for {@code input} as {@link #decideUnrecorded} does, but draws a costly offer from the shared
   * {@code budget} (instead of this service's own ledger) and records the decision with {@code alongside}, all in one
   * store transaction. The offer is first decided as granted and its cost drawn last in the transaction (so the budget
   * row is locked only until the commit); when the draw does not fit, that transaction is rolled back and the customer
   * is decided again with the budget refused (the budget guardrails drop the offer) and recorded. A decision that is
   * not committed draws nothing, so a redone batch never spends twice.
   *
   * @param budget the shared budget, or null for none (unlimited)
   */
  public Decision decideAndRecord(DecisionInput input, SharedBudget budget, Alongside alongside) {
    DecisionEngine engine = DecisionEngine.of(registry, params, control);
    BudgetLedger open = new BudgetLedger(null);
    Decision d = decideOnly(engine, input, picks, open);
    if (budget == null || open.granted() == 0) {
      record(List.of(d), c -> {
        alongside.run(c, d);
        return null;
      });
      return d;
    }
    BigDecimal cost = open.spent();
    if (budget.knownShort(cost)) {
      return decideRefused(engine, input, alongside);
    }
    try {
      record(List.of(d), c -> {
        alongside.run(c, d);
        if (!budget.draw(c, cost)) {
          throw new BudgetSpent();
        }
        return null;
      });
      return d;
    } catch (BudgetSpent spent) {
      return decideRefused(engine, input, alongside);
    }
  }

  /** Decides with the offer budget refused (the budget guardrails drop a costly offer) and records. */
  private Decision decideRefused(DecisionEngine engine, DecisionInput input, Alongside alongside) {
    Decision refused = decideOnly(engine, input, picks, new BudgetLedger(BigDecimal.ZERO));
    record(List.of(refused), c -> {
      alongside.run(c, refused);
      return null;
    });
    return refused;
  }

  /** The shared budget cannot pay an offer: the decision's transaction is rolled back and the offer refused. */
  private static final class BudgetSpent extends RuntimeException {
    BudgetSpent() {
      super("the shared offer budget cannot pay this offer", null, false, false);
    }
  }

  /** The commits (store transactions) that wrote this service's decisions so far, failed ones included. */
  public long commits() {
    return commits == null ? 0 : commits.batches();
  }

  /**
   * Decides for a scored customer read from the store (score, facts, recent contacts and, when this service's actions
   * carry products, the customer's stored picks: all on one connection).
   */
  public Optional<Decision> decide(String customerId) {
    if (inputs == null) {
      throw new IllegalStateException("this service has no store to read customer " + customerId + " from");
    }
    int max = picks == null ? 0 : maxProducts;
    return inputs
        .readInput(customerId, Instant.now().minus(Duration.ofDays(params.contactWindowDays())), max)
        .map(k -> decide(DecisionEngine.of(registry, params, control), k.input(),
            max > 0 ? ids -> Map.of(customerId, k.picks()) : null));
  }

  private long run() {
    long r = runId;
    if (r < 0) {
      synchronized (this) {
        if (runId < 0) {
          runId = log.startRun("ONLINE", registry.active().version());
        }
        r = runId;
      }
    }
    return r;
  }
}
