package io.valuetier.decide;

import io.valuetier.decide.DecisionEngine.Staged;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.ProposedAction;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last stage of a distributed batch run, on the coordinator once every bucket is stored ({@link BucketDecider}):
 * the costly offers the buckets held back are decided again (the same DMN, guardrails and control groups, so the same
 * staged actions), the offer budget is granted over all of them by descending predicted value
 * ({@link BudgetLedger#grantInOrder}, as {@link BatchDecider} does for a run in one process), the budget guardrails
 * run on the refused, and their final decisions are written with the ids their buckets gave them. The run's summary
 * adds the buckets' counts to these.
 */
public final class BatchBudgetStage {
  private final DecisionEngine engine;
  private final DecisionLog log;
  private final DecisionInputs inputs;
  private final int chunkSize;

  public BatchBudgetStage(DecisionEngine engine, DecisionLog log, int chunkSize) {
    this.engine = engine;
    this.log = log;
    this.inputs = new DecisionInputs(log.store());
    this.chunkSize = Math.max(1, chunkSize);
  }

  /**
   * Finishes run {@code runId} and records its end; returns its report.
   *
   * @param started when the run began ({@link System#nanoTime}), for its seconds and rate
   * @param waitSeconds how long the coordinator waited for the buckets
   */
  public BatchDecider.Report finish(long runId, long started, double waitSeconds) {
    long f0 = System.nanoTime();
    Store store = log.store();
    BatchCounts counts = new BatchCounts();
    store.forEachRow("the run's buckets", "SELECT counts FROM batch_buckets WHERE run_id = ?",
        rs -> counts.add(BatchCounts.fromJson(rs.getString(1))), runId);
    Map<String, Integer> sequence = new HashMap<>();
    store.forEachRow("the run's costly offers", "SELECT customer_id, sequence_no FROM batch_costly WHERE run_id = ?",
        rs -> sequence.put(rs.getString(1), rs.getInt(2)), runId);
    Map<String, Integer> recent =
        inputs.recentContacts(Instant.now().minus(Duration.ofDays(engine.params().contactWindowDays())));
    List<DecisionInput> held = new ArrayList<>(sequence.size());
    inputs.readInputs(recent, in -> {
      if (sequence.containsKey(in.customerId())) {
        held.add(in);
      }
    });
    held.sort(Comparator.comparing(DecisionInput::customerId));
    List<Staged> staged = new ArrayList<>(held.size());
    for (int from = 0; from < held.size(); from += chunkSize) {
      staged.addAll(engine.evaluate(held.subList(from, Math.min(held.size(), from + chunkSize)), 0,
          e -> counts.failed(e.getMessage())));
    }
    BudgetLedger ledger = new BudgetLedger(engine.params().offerBudget());
    List<ProposedAction> candidates = new ArrayList<>();
    for (Staged s : staged) {
      if (s.action().isCostly()) {
        candidates.add(s.action());
      }
    }
    ledger.grantInOrder(candidates);
    List<Staged> refused = new ArrayList<>();
    for (Staged s : staged) {
      if (s.action().isCostly() && !s.action().isBudgetGranted()) {
        refused.add(s);
      }
    }
    engine.applyBudgetStaged(refused);
    long firstId = DecisionLog.firstDecisionId(runId);
    Instant at = Instant.now();
    for (int from = 0; from < staged.size(); from += chunkSize) {
      List<Decision> ready = new ArrayList<>();
      for (Staged s : staged.subList(from, Math.min(staged.size(), from + chunkSize))) {
        Decision d = engine.finish(s, firstId + sequence.get(s.input().customerId()), at);
        counts.add(d);
        ready.add(d);
      }
      log.write(ready, runId);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put("waiting_for_buckets", waitSeconds);
    phases.put("final_budget_pass", (System.nanoTime() - f0) / 1e9);
    long n = counts.decided;
    BatchDecider.Report report = new BatchDecider.Report(runId, engine.ruleSetKey(), n, counts.failed,
        List.copyOf(counts.failures), seconds, n / seconds, counts.tiers, counts.actions, counts.interventions,
        counts.contacts, ledger.limit(), ledger.spent(), ledger.granted(), ledger.refused(), phases, counts.ruleSets,
        counts.controlGroup);
    log.finishRun(runId, n, counts.failed, n / seconds, Json.write(report));
    forgetFinished(store);
    return report;
  }

  /**
   * Deletes what the runs that are finished (or aborted, or purged) no longer need: their held-back customers, and
   * their buckets' counts, which the run's summary now holds (a failure's message may quote a customer id); a
   * finished run keeps which worker decided which bucket. The batch's tables thus hold customer ids only while a
   * run is under way (erasure covers {@code batch_costly} all the same).
   */
  public static void forgetFinished(Store store) {
    String gone = " run_id NOT IN (SELECT run_id FROM decision_runs)";
    String finished = " run_id IN (SELECT run_id FROM decision_runs WHERE finished_at IS NOT NULL)";
    store.execute("DELETE FROM batch_costly WHERE" + finished + " OR" + gone);
    store.execute("DELETE FROM batch_buckets WHERE" + gone);
    store.execute("UPDATE batch_buckets SET counts = '{}' WHERE counts <> '{}' AND" + finished);
  }
}
