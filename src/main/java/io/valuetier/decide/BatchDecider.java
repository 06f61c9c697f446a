package io.valuetier.decide;

import io.valuetier.decide.DecisionEngine.Staged;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.guardrails.ProposedAction;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.util.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides every scored customer of the store in one run, on all cores: a reader streams scores joined with customer
 * facts in chunks; workers run the DMN and the per-customer guardrails and write each chunk's decisions and trace at
 * once, except the costly offers. Those wait for the run-level budget ledger, which grants the offer budget by
 * descending predicted value over the whole population; then the budget guardrails run and the rest is written.
 *
 * <p>With {@code write = false} nothing is stored (a what-if run of a candidate rule set).
 *
 * <p>One job: the concurrency of a decision run (reader, workers, the held-back offers and the writer) in one place,
 * so that its ordering and failure handling can be read top to bottom; what a decision is lives in
 * {@link DecisionEngine}, where it is read from in {@code DecisionInputs} and where it is written in the decision log.
 */
public final class BatchDecider {

  /** How to run: worker threads, customers per chunk, whether to store decisions, trace retention. */
  public record Options(int threads, int chunkSize, boolean write, Duration retention) {
    /**
     * The batch options of the settings ({@code valuetier.decide.threads}, 0 = one per core; {@code batch-size};
     * {@code trace.retention-days}).
     *
     * @param threadsOption threads asked for on the command line, or null for the setting
     * @param dryRun decide without storing decisions, trace or contacts
     */
    public static Options from(DecideSettings s, Integer threadsOption, boolean dryRun) {
      int t = threadsOption != null ? threadsOption : s.threads();
      if (t == 0) {
        t = Runtime.getRuntime().availableProcessors();
      }
      return new Options(t, s.batchSize(), !dryRun, s.traceRetention());
    }
  }

  /** What a run did. */
  public record Report(
      long runId,
      String ruleSet,
      long decisions,
      long failed,
      List<String> failures,
      double seconds,
      double decisionsPerSecond,
      Map<String, Long> perTier,
      Map<String, Long> perAction,
      Map<String, Long> guardrailInterventions,
      long contacts,
      BigDecimal budget,
      BigDecimal budgetSpent,
      long offersGranted,
      long offersRefused,
      Map<String, Double> phaseSeconds,
      Map<String, Long> perRuleSet,
      long controlGroup) {}

  private static final List<DecisionInput> END = Collections.emptyList();
  private static final List<Decision> WRITTEN_ALL = Collections.emptyList();

  private final DecisionEngine engine;
  private final DecisionLog log;
  private final DecisionInputs inputs;
  private final Options options;

  private final Map<String, LongAdder> tiers = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> interventions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> ruleSets = new ConcurrentHashMap<>();
  private final LongAdder contacts = new LongAdder();
  private final LongAdder heldOut = new LongAdder();
  private final LongAdder decided = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong read = new AtomicLong();
  private volatile BlockingQueue<List<Decision>> writeQueue;
  private final AtomicReference<RuntimeException> writeFailure =
      new AtomicReference<>();
  private final LongAdder readNanos = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder decideNanos = new LongAdder();
  private final LongAdder writeNanos = new LongAdder();
  private final LongAdder finalPassNanos = new LongAdder();

  /** Reads the scored customers and recent contacts from the store that {@code log} writes to. */
  public BatchDecider(DecisionEngine engine, DecisionLog log, Options options) {
    this.engine = engine;
    this.log = log;
    this.inputs = new DecisionInputs(log.store());
    this.options = options;
  }

  /** Customers read so far (for progress). */
  public long read() {
    return read.get();
  }

  /** Customers decided so far (for progress). */
  public long decided() {
    return decided.sum();
  }

  /** Runs the batch; a run that fails is recorded as aborted with the reason. */
  public Report run() throws InterruptedException {
    try {
      return runBatch();
    } catch (RuntimeException | InterruptedException e) {
      if (options.write() && abortRunId > 0) {
        log.finishRun(abortRunId, decided.sum(), failed.sum(), 0,
            "{\"aborted\":" + Json.write(String.valueOf(e.getMessage())) + "}");
      }
      throw e;
    }
  }

  private volatile long abortRunId;

  private Report runBatch() throws InterruptedException {
    long t0 = System.nanoTime();
    String version = engine.ruleSetKey();
    long runId = 0;
    if (options.write()) {
      log.purgeOlderThan(options.retention());
      runId = log.startRun("BATCH", version);
      abortRunId = runId;
    }
    long firstId = DecisionLog.firstDecisionId(runId);
    Map<String, Integer> recent =
        inputs.recentContacts(Instant.now().minus(Duration.ofDays(engine.params().contactWindowDays())));

    int threads = Math.max(1, options.threads());
    BlockingQueue<List<DecisionInput>> queue = new ArrayBlockingQueue<>(threads * 4);
    List<Staged> costly = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads + 2, Thread.ofPlatform().name("decide-", 0).factory());
    Future<?> writer = null;
    try {
      if (options.write()) {
        // One writer: concurrent inserts into the same H2 tables contend for the same pages, one writer does not.
        writeQueue = new ArrayBlockingQueue<>(threads * 2);
        long rid = runId;
        writer = pool.submit(() -> writeLoop(rid));
      }
      List<Future<?>> workers = new ArrayList<>();
      Future<?> reader =
          pool.submit(
              () -> {
                List<DecisionInput> chunk = new ArrayList<>(options.chunkSize());
                long r0 = System.nanoTime();
                try {
                  inputs.readInputs(
                      recent,
                      in -> {
                        chunk.add(in);
                        read.incrementAndGet();
                        if (chunk.size() == options.chunkSize()) {
                          put(queue, List.copyOf(chunk));
                          chunk.clear();
                        }
                      });
                  if (!chunk.isEmpty()) {
                    put(queue, List.copyOf(chunk));
                  }
                } finally {
                  readNanos.add(System.nanoTime() - r0);
                  for (int i = 0; i < threads; i++) {
                    put(queue, END);
                  }
                }
                return null;
              });
      AtomicLong nextIndex = new AtomicLong();
      for (int w = 0; w < threads; w++) {
        workers.add(
            pool.submit(
                () -> {
                  while (true) {
                    long w0 = System.nanoTime();
                    List<DecisionInput> chunk = queue.take();
                    waitNanos.add(System.nanoTime() - w0);
                    if (chunk == END) {
                      return null;
                    }
                    int first = (int) nextIndex.getAndAdd(chunk.size());
                    decideChunk(chunk, first, firstId, costly);
                  }
                }));
      }
      for (Future<?> f : workers) {
        get(f); // a failed worker ends the run; shutdownNow below stops the reader
      }
      get(reader);
      // Final pass: the budget goes to the most valuable customers of the whole run, then the rest is written.
      long f0 = System.nanoTime();
      BudgetLedger ledger = new BudgetLedger(engine.params().offerBudget());
      List<ProposedAction> candidates = new ArrayList<>(costly.size());
      for (Staged s : costly) {
        candidates.add(s.action());
      }
      ledger.grantInOrder(candidates);
      List<Future<?>> tail = new ArrayList<>();
      int size = Math.max(1, (costly.size() + threads - 1) / threads);
      for (int from = 0; from < costly.size(); from += size) {
        List<Staged> part = costly.subList(from, Math.min(costly.size(), from + size));
        tail.add(pool.submit(() -> finishCostly(part, firstId, runId(firstId))));
      }
      for (Future<?> f : tail) {
        get(f);
      }
      if (writer != null) {
        putWrite(WRITTEN_ALL);
        get(writer);
        if (writeFailure.get() != null) {
          throw writeFailure.get();
        }
      }
      finalPassNanos.add(System.nanoTime() - f0);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long n = decided.sum();
      Report report =
          new Report(
              runId,
              version,
              n,
              failed.sum(),
              List.copyOf(failures),
              seconds,
              n / seconds,
              snapshot(tiers),
              snapshot(actions),
              snapshot(interventions),
              contacts.sum(),
              ledger.limit(),
              ledger.spent(),
              ledger.granted(),
              ledger.refused(),
              phases(),
              snapshot(ruleSets),
              heldOut.sum());
      if (options.write()) {
        log.finishRun(runId, n, failed.sum(), n / seconds, Json.write(report));
      }
      return report;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Where the time went, summed over threads: reading, waiting for input, deciding, writing, final budget pass. */
  private Map<String, Double> phases() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("read", readNanos.sum() / 1e9);
    m.put("workers_waiting_for_input", waitNanos.sum() / 1e9);
    m.put("decide", decideNanos.sum() / 1e9);
    m.put("write", writeNanos.sum() / 1e9);
    m.put("final_budget_pass", finalPassNanos.sum() / 1e9);
    return m;
  }

  private static long runId(long firstId) {
    return firstId >>> 32;
  }

  private void decideChunk(List<DecisionInput> chunk, int first, long firstId, List<Staged> costly) {
    long d0 = System.nanoTime();
    List<Staged> staged =
        engine.evaluate(
            chunk,
            first,
            e -> {
              failed.increment();
              if (failures.size() < 20) {
                failures.add(e.getMessage());
              }
            });
    Instant at = Instant.now();
    List<Decision> ready = new ArrayList<>(staged.size());
    for (Staged s : staged) {
      if (s.action().isCostly()) {
        costly.add(s);
      } else {
        ready.add(engine.finish(s, firstId + s.action().getIndex(), at));
      }
    }
    decideNanos.add(System.nanoTime() - d0);
    record(ready, runId(firstId));
  }

  private Void finishCostly(List<Staged> part, long firstId, long runId) {
    List<Staged> refused = new ArrayList<>();
    for (Staged s : part) {
      if (!s.action().isBudgetGranted()) {
        refused.add(s);
      }
    }
    engine.applyBudgetStaged(refused);
    Instant at = Instant.now();
    int chunk = Math.max(1, options.chunkSize());
    for (int from = 0; from < part.size(); from += chunk) {
      List<Decision> ready = new ArrayList<>(Math.min(chunk, part.size() - from));
      for (Staged s : part.subList(from, Math.min(part.size(), from + chunk))) {
        ready.add(engine.finish(s, firstId + s.action().getIndex(), at));
      }
      record(ready, runId);
    }
    return null;
  }

  private void record(List<Decision> ready, long runId) {
    for (Decision d : ready) {
      count(tiers, String.valueOf(d.valueTier()));
      count(actions, String.valueOf(d.actionCode()));
      for (Intervention i : d.interventions()) {
        count(interventions, i.code());
      }
      count(ruleSets, d.ruleSetRole() + " " + d.ruleSetVersion());
      if (d.isContact()) {
        contacts.increment();
      }
      if (d.controlGroup()) {
        heldOut.increment();
      }
    }
    if (options.write()) {
      putWrite(ready);
    }
    decided.add(ready.size());
  }

  private void putWrite(List<Decision> ready) {
    try {
      writeQueue.put(ready);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing decisions to the writer", e);
    }
  }

  /** Writes what the workers decided until told that everything is decided; keeps draining after a failure. */
  private Void writeLoop(long runId) throws InterruptedException {
    while (true) {
      List<Decision> ready = writeQueue.take();
      if (ready == WRITTEN_ALL) {
        return null;
      }
      if (writeFailure.get() != null) {
        continue;
      }
      long w0 = System.nanoTime();
      try {
        log.write(ready, runId);
      } catch (RuntimeException e) {
        writeFailure.compareAndSet(null, e);
      }
      writeNanos.add(System.nanoTime() - w0);
    }
  }

  private static void count(Map<String, LongAdder> m, String key) {
    m.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static void put(BlockingQueue<List<DecisionInput>> q, List<DecisionInput> chunk) {
    try {
      q.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading customers", e);
    }
  }

  private static void get(Future<?> f) throws InterruptedException {
    try {
      f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }
}
