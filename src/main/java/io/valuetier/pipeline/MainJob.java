package io.valuetier.pipeline;

import io.valuetier.act.ActionRecord;
import io.valuetier.act.DecisionActions;
import io.valuetier.act.PublishService;
import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.ScoringService;
import io.valuetier.model.TrainingService;
import io.valuetier.model.picks.PicksService;
import io.valuetier.model.picks.PurchaseLines;
import io.valuetier.model.retrain.RetrainService;
import io.valuetier.monitor.Drift;
import io.valuetier.monitor.Monitor;
import io.valuetier.monitor.MonitorSettings;
import io.valuetier.records.IngestReport;
import io.valuetier.report.HtmlReport;
import io.valuetier.report.ReportData;
import io.valuetier.store.Store;
import io.valuetier.store.StoreId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job, the whole loop in one process: ingest and clean (skipped when the files are unchanged), read the
 * customer log once, train (or reuse the champion when data and settings are unchanged), evaluate on a holdout for
 * the report (or reuse that evaluation), predict, decide with the active rules and guardrails, monitor (feature drift,
 * calibration once a horizon has passed, decision shifts; warnings never stop the run), publish the actions through
 * the publish route, and write the HTML report. With {@code valuetier.run.retrain-policy=challenge} the model step is
 * the retrain check of {@link RetrainService} instead of a plain retrain when the data changed.
 *
 * <p>One job: the order of the stages and what each hands the next, with the progress and timing of each; every
 * stage's work is in its own service, so this class reads as the table of contents of a run.
 */
public final class MainJob {
  private static final Logger LOG = LoggerFactory.getLogger(MainJob.class);

  /** What to run on. */
  public record Options(
      Path transactions, TransactionFormat format, Path customers, boolean retrain, boolean scoreOnly) {

    public Options {
      if (retrain && scoreOnly) {
        throw new IllegalArgumentException("--retrain and --score-only exclude each other: give one");
      }
    }

    /** Training as the policy says ({@link ModelStep}), or always when {@code retrain}. */
    public Options(Path transactions, TransactionFormat format, Path customers, boolean retrain) {
      this(transactions, format, customers, retrain, false);
    }

    /** The bundled sample, or what {@code valuetier.run.*} names. */
    public static Options defaults(Settings s) {
      RunSettings r = RunSettings.from(s);
      return new Options(r.transactions(), r.format(), r.customers(), false);
    }

    ModelStep.Request request() {
      return retrain ? ModelStep.Request.TRAIN : scoreOnly ? ModelStep.Request.SCORE : ModelStep.Request.AUTO;
    }
  }

  /** A stage as it starts, for progress display. */
  public interface Listener {
    void stage(String name, DoubleSupplier progress, Supplier<String> detail);

    /** A stage that counts what it has done so far ({@code count}, in {@code unit}s), so a display can give a rate. */
    default void stage(String name, DoubleSupplier progress, LongSupplier count, String unit) {
      stage(name, progress, () -> String.format(Locale.ROOT, "%,d %s", count.getAsLong(), unit));
    }

    void done(String name, double seconds, String summary);
  }

  /**
   * The predict and decide stages done elsewhere than by {@link ScoringService} and {@link BatchDecider} in this
   * process: spread over workers by {@code valuetier run --workers}. {@link #predict} starts the decision run and has
   * every customer scored (the scores table as {@link ScoringService} writes it); {@link #decide} has every scored
   * customer decided with {@code engine} and finishes the run; the stages after it (monitor, publish, report) read the
   * run's scores and decisions.
   */
  public interface DecideStage {
    ScoringService.Result predict(CustomerLog log, DecisionEngine engine, DecisionLog decisions, Listener listener)
        throws InterruptedException;

    BatchDecider.Report decide(DecisionEngine engine, DecisionLog log, int customers, Listener listener)
        throws InterruptedException;
  }

  private final Settings settings;
  private final Store store;
  private final Listener listener;
  private DecideStage decideStage;

  public MainJob(Settings settings, Store store, Listener listener) {
    this.settings = settings;
    this.store = store;
    this.listener = listener;
  }

  /** Decides with {@code stage} instead of {@link BatchDecider} in this process; returns this job. */
  public MainJob decideWith(DecideStage stage) {
    this.decideStage = stage;
    return this;
  }

  /** Runs the loop and returns its summary. */
  public Summary run(Options o) throws InterruptedException {
    long t0 = System.nanoTime();
    RunSettings runSettings = RunSettings.from(settings);
    Map<String, Double> stages = new LinkedHashMap<>();
    Map<String, Map<String, Double>> parts = new LinkedHashMap<>();
    // Outputs outside the database (action folders, the champion) are keyed by the store: two never share them.
    StoreId storeId = StoreId.of(store);

    // 1. Ingest and clean.
    IngestReport facts = null;
    IngestReport tx;
    long s0 = System.nanoTime();
    try (IngestService ingest = new IngestService(settings, store)) {
      listener.stage("ingest", () -> ingest.current() == null ? 0 : ingest.current().progress(),
          () -> ingest.current() == null ? 0 : ingest.current().read(), "rows");
      if (o.customers() != null) {
        facts = ingest.ingestCustomersIfChanged(o.customers());
        failIf(facts);
      }
      tx = ingest.ingestTransactionsIfChanged(o.transactions(), o.format());
      failIf(tx);
    }
    stages.put("ingest", since(s0));
    listener.done("ingest", since(s0), tx.status().equals("UNCHANGED")
        ? "unchanged since run " + tx.runId() : String.format(Locale.ROOT, "%,d rows read", tx.read()));

    // 2. The customer log, read once for training, evaluation and scoring.
    s0 = System.nanoTime();
    long[] logRows = {0};
    long total = tx.store() == null ? 0 : tx.store().transactions();
    listener.stage("read", () -> total == 0 ? -1 : (double) logRows[0] / total, () -> logRows[0], "lines");
    // the product picks' order lines are kept in the same pass: the picks stage reads nothing of its own
    PicksService picksService = new PicksService(settings, store);
    PurchaseLines picksLines = picksService.settings().enabled() ? new PurchaseLines() : null;
    CustomerLog log = StoreHistory.read(store, n -> logRows[0] = n, picksLines);
    stages.put("read", since(s0));
    listener.done("read", since(s0), String.format(Locale.ROOT, "%,d customers", log.size()));

    // 3. The model step: train (and evaluate), or score with the champion as the retraining policy says.
    s0 = System.nanoTime();
    TrainingService training = new TrainingService(settings, store);
    listener.stage("train", () -> -1, () -> "");
    Drift[] policyDrift = {null};
    ModelStep step = ModelStep.choose(o.request(), runSettings, training.settings(), training.registry(), log,
        MonitorSettings.from(settings).psiWarn(), d -> policyDrift[0] = d);
    TrainingService.TrainingResult trained;
    RetrainService.RetrainResult challenged = null;
    HoldoutEvaluation evaluation;
    if (!step.train()) {
      // The daily case: nothing trained, the champion's own evaluation (if kept) stands in the report.
      trained = training.current(log, store.describe());
      stages.put("policy", since(s0));
      listener.done("train", since(s0), "skipped, scoring with champion " + trained.champion() + ": " + step.reason());
      evaluation = HoldoutEvaluation.ofChampion(training, runSettings.evaluationMaxCustomers());
    } else {
      if (!o.retrain() && runSettings.challenge() && training.registry().champion().isPresent()) {
        // opt-in: a challenger against the champion on the latest holdout, promoted only when better
        challenged = new RetrainService(settings, store).retrain(log, store.describe(), List.of(), false);
        trained = new TrainingService.TrainingResult(
            !challenged.promoted(), challenged.championAfter(), List.of(), null, null, challenged.seconds());
      } else {
        trained = training.train(log, store.describe(), null, o.retrain());
      }
      stages.put("train", since(s0));
      listener.done("train", since(s0), (challenged != null
          ? challenged.decision().toLowerCase(Locale.ROOT) + ", champion " + trained.champion()
          : (trained.reused() ? "reused " : "trained, champion ") + trained.champion()) + " (" + step.reason() + ")");

      // 4. Holdout evaluation for the report, or the earlier one on the same data and settings.
      s0 = System.nanoTime();
      listener.stage("evaluate", () -> -1, () -> "");
      evaluation = HoldoutEvaluation.forLog(log, training, runSettings.minCalibrationDays(),
          runSettings.evaluationMaxCustomers());
      stages.put("evaluate", since(s0));
      HoldoutEvaluation ev = evaluation;
      listener.done("evaluate", since(s0), ev == null ? "skipped: not enough history"
          : (ev.reused() ? "reused, " : "") + "holdout " + ev.calibrationEnd() + ".." + ev.holdoutEnd()
              + String.format(Locale.ROOT, ", %,d customers", ev.customers()));
    }

    // 5. The rules, and a run to finish: if the last decision run was not fully published and nothing it was
    //    decided from has changed, publish the rest of it instead of deciding again.
    DecideSettings decide = DecideSettings.from(settings);
    GuardrailParameters params = decide.guardrails();
    RuleSetRegistry rules = RuleSetRegistry.fromSettings(decide, store);
    RuleSetRegistry.RuleSetChange started = rules.start();
    if (rules.current().isEmpty()) {
      throw new IllegalStateException("no valid rule set to decide with: " + started.reason()
          + started.messages().stream().filter(ValidationMessage::isError).findFirst()
              .map(m -> "; the first: " + m.toString().strip().replaceFirst("^error: ", "")).orElse("")
          + " (run `valuetier validate-rules` for the messages)");
    }
    String destination;
    try (PublishService probe = new PublishService(settings, store)) {
      destination = probe.destination();
    }
    // The champion and the challenger (if any) as they stand: a run decided with other versions is not resumed.
    DecisionEngine engine = DecisionEngine.of(rules, params, decide.controlGroups());
    Optional<PendingPublish> pending =
        tx.status().equals("UNCHANGED") && trained.reused()
            ? PendingPublish.find(store, destination, engine.ruleSetKey(), storeId)
            : Optional.empty();

    int scoredCustomers;
    int coldStart;
    Map<String, String> picksSummary = Map.of();
    BatchDecider.Report decided;
    if (pending.isPresent()) {
      decided = pending.get().report();
      scoredCustomers = (int) store.queryLong("SELECT COUNT(*) FROM scores");
      coldStart = (int) store.queryLong("SELECT COUNT(*) FROM scores WHERE cold_start");
      listener.done("decide", 0, String.format(Locale.ROOT,
          "resuming run %d: %,d of its %,d actions were delivered before it stopped", decided.runId(),
          pending.get().delivered(), decided.decisions()));
    } else {
      // 6. Predict.
      s0 = System.nanoTime();
      listener.stage("predict", () -> -1, () -> "");
      DecisionLog decisions = decide.decisionLog(store);
      ScoringService.Result scored = decideStage != null ? decideStage.predict(log, engine, decisions, listener)
          : new ScoringService(settings, store).scoreAll(log, null);
      scoredCustomers = scored.customersScored();
      coldStart = scored.coldStart();
      stages.put("predict", since(s0));
      parts.put("predict", parts("score", scored.scoreSeconds(), "explain", scored.explainSeconds(), "write",
          scored.writeSeconds()));
      listener.done("predict", since(s0), String.format(Locale.ROOT, "%,d customers scored", scoredCustomers));

      // 6b. Product picks: the recommender trained on the same transactions, each customer's picks stored.
      if (picksLines != null) {
        s0 = System.nanoTime();
        listener.stage("picks", () -> -1, () -> "");
        PicksService.Result picked = evaluation == null ? picksService.run(picksLines, null, null, 0)
            : picksService.run(picksLines, evaluation.calibrationEnd(), evaluation.holdoutEnd(), 0);
        picksSummary = PicksSummary.of(picked, picksService.settings());
        stages.put("picks", since(s0));
        parts.put("picks", parts("read", picked.readSeconds(), "train", picked.trainSeconds(), "write",
            picked.writeSeconds()));
        listener.done("picks", since(s0), String.format(Locale.ROOT, "%,d customers, %,d products, %,d picks",
            picked.customers(), picked.products(), picked.rows()));
        engine.withPicks(ids -> PicksService.stored(store, ids), picksService.settings().maxProducts());
        picksLines = null; // the lines are not needed again: let them go before deciding
      }

      // 7. Decide.
      s0 = System.nanoTime();
      if (decideStage != null) {
        decided = decideStage.decide(engine, decisions, scoredCustomers, listener);
      } else {
        BatchDecider batch = new BatchDecider(engine, decisions, BatchDecider.Options.from(decide, null, false));
        listener.stage("decide", () -> scoredCustomers == 0 ? 0 : (double) batch.decided() / scoredCustomers,
            batch::decided, "decisions");
        decided = batch.run();
      }
      stages.put("decide", since(s0));
      listener.done("decide", since(s0), String.format(Locale.ROOT, "%,d decisions, rule set %s",
          decided.decisions(), decided.ruleSet()));
    }

    // 8. Monitoring: drift, calibration once a horizon has passed, decision shifts (warnings never stop the run).
    s0 = System.nanoTime();
    listener.stage("monitor", () -> -1, () -> "");
    MonitorSettings monitorSettings = MonitorSettings.from(settings);
    Monitor.Report monitoring = new Monitor(monitorSettings, training.registry(), store).run(log, policyDrift[0]);
    stages.put("monitor", since(s0));
    listener.done("monitor", since(s0), String.format(Locale.ROOT, "%d warnings, %d notices",
        monitoring.warnings().size(), monitoring.findings().size() - monitoring.warnings().size()));

    // 9. Publish.
    s0 = System.nanoTime();
    PublishService.PublishReport published;
    try (PublishService publish = new PublishService(settings, store)) {
      long toPublish = decided.decisions();
      CountingIterator<ActionRecord> actions = new CountingIterator<>(new DecisionActions(store, decided.runId()));
      listener.stage("publish", () -> toPublish == 0 ? -1 : (double) actions.count() / toPublish, actions::count,
          "actions");
      published = publish.publish(decisionRun(storeId, decided.runId()), actions);
    }
    stages.put("publish", since(s0));
    listener.done("publish", since(s0), published.failed() ? "FAILED: " + published.failure()
        : String.format(Locale.ROOT, "%,d actions to %s", published.delivered(), published.destination()));

    // 10. Report.
    s0 = System.nanoTime();
    listener.stage("report", () -> -1, () -> "");
    ReportData data =
        ReportFacts.gather(settings, store, tx, scoredCustomers, trained, evaluation, decided, published, rules.active())
            .withMonitoring(MonitoringRows.of(monitoring, monitorSettings))
            .withSummary(picksSummary);
    Path report = HtmlReport.write(data, runSettings.report());
    stages.put("report", since(s0));
    listener.done("report", since(s0), report.toString());

    RunFacts runFacts =
        RunFacts.gather(store, storeId.id(), decisionRun(storeId, decided.runId()),
            RunFacts.refused(started, rules.active().version()), tx, facts, decided.decisions(),
            decided.guardrailInterventions());
    return new Summary(
        tx, facts, scoredCustomers, coldStart, trained.champion(), trained.reused(), step, evaluation, decided,
        pending.isPresent(), published, report, stages, parts, since(t0), monitoring, challenged, runFacts);
  }

  /** Where a stage's time went, in the order given (name, seconds, name, seconds, ...). */
  private static Map<String, Double> parts(Object... nameAndSeconds) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < nameAndSeconds.length; i += 2) {
      m.put((String) nameAndSeconds[i], Math.round((Double) nameAndSeconds[i + 1] * 1000) / 1000.0);
    }
    return m;
  }

  /**
   * The name of a decision run that no other store uses: {@code STORE-SHORT/run-N}. It names the run in the delivery
   * log and, for the file destination, its folder under {@code valuetier.publish.folder}.
   */
  static String decisionRun(StoreId store, long runId) {
    return store.shortId() + "/run-" + runId;
  }

  private static void failIf(IngestReport r) {
    if (r.failed()) {
      throw new IllegalStateException("ingest of " + r.source() + " did not complete: " + r.failure()
          + " (what could not be stored is in the dead-letter folder; run again to complete it)");
    }
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The outcome of one run of the main job. */
  public record Summary(
      IngestReport ingest,
      IngestReport customerFacts,
      int customersScored,
      int coldStart,
      String champion,
      boolean championReused,
      ModelStep modelStep,
      HoldoutEvaluation evaluation,
      BatchDecider.Report decisions,
      boolean resumed,
      PublishService.PublishReport publish,
      Path report,
      Map<String, Double> stageSeconds,
      Map<String, Map<String, Double>> stageParts,
      double seconds,
      Monitor.Report monitoring,
      RetrainService.RetrainResult retrain,
      RunFacts facts) {

    /** What {@code run --strict} refuses in this run (empty when nothing). */
    public List<String> strictProblems() {
      return facts.strictProblems();
    }

    /** The summary as one JSON-ready map. */
    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.putAll(facts.asMap());
      m.put("rows_read", ingest.read());
      m.put("rows_accepted", ingest.accepted());
      m.put("rows_rejected", ingest.rejected());
      m.put("rejected_by_reason", ingest.rejectedByReason());
      m.put("ingest", ingest.status());
      m.put("customers_scored", customersScored);
      m.put("cold_start", coldStart);
      m.put("model_id", champion);
      m.put("model_reused", championReused);
      m.put("model_path", modelStep.path());
      m.put("model_path_reason", modelStep.reason());
      if (evaluation != null) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("calibration_end", evaluation.calibrationEnd().toString());
        e.put("holdout_end", evaluation.holdoutEnd().toString());
        e.put("champion", evaluation.champion());
        e.put("models", evaluation.models());
        e.put("customers", evaluation.customers());
        e.put("customers_before_sampling", evaluation.customersBeforeSampling());
        m.put("holdout_evaluation", e);
      }
      m.put("decisions", decisions.decisions());
      m.put("decision_run", decisions.runId());
      m.put("resumed_publishing", resumed);
      m.put("decisions_per_second", Math.round(decisions.decisionsPerSecond()));
      m.put("rule_set", decisions.ruleSet());
      m.put("per_tier", decisions.perTier());
      m.put("per_action", decisions.perAction());
      m.put("guardrail_interventions", decisions.guardrailInterventions());
      m.put("per_rule_set", decisions.perRuleSet());
      m.put("control_group", decisions.controlGroup());
      m.put("actions_published", publish.delivered());
      m.put("actions_already_published", publish.alreadyDelivered());
      m.put("publish_destination", publish.destination());
      if (publish.folder() != null) {
        m.put("actions_folder", publish.folder());
      }
      if (publish.failure() != null) {
        m.put("publish_failure", publish.failure());
      }
      m.put("monitoring", monitoring.asMap());
      if (retrain != null) {
        m.put("retrain", retrain.asMap());
      }
      m.put("report", report.toString());
      m.put("stage_seconds", stageSeconds);
      m.put("stage_parts", stageParts);
      m.put("stage_rates", stageRates());
      m.put("seconds", seconds);
      m.put("finished_at", Instant.now().toString());
      return m;
    }

    /**
     * What each counted stage got through per second: ingest rows read, predict customers scored, decide decisions,
     * publish actions delivered (a stage that took no measurable time, or was skipped, is left out).
     */
    public Map<String, Double> stageRates() {
      Map<String, Double> r = new LinkedHashMap<>();
      rate(r, "ingest_rows_per_second", ingest.read(), stageSeconds.get("ingest"));
      rate(r, "predict_customers_per_second", customersScored, stageSeconds.get("predict"));
      rate(r, "decide_decisions_per_second", decisions.decisions(), stageSeconds.get("decide"));
      rate(r, "publish_actions_per_second", publish.delivered(), stageSeconds.get("publish"));
      return r;
    }

    private static void rate(Map<String, Double> r, String name, long count, Double seconds) {
      if (seconds != null && seconds > 0 && count >= 0) {
        r.put(name, Math.round(count / seconds * 10) / 10.0);
      }
    }

    /** The summary in words, one line per fact. */
    public List<String> lines() {
      List<String> l = new ArrayList<>();
      l.add("store " + facts.storeId() + ", decision run " + facts.decisionRun());
      l.addAll(facts.lines(decisions.decisions()));
      l.add(String.format(Locale.ROOT, "rows read %,d = accepted %,d + rejected %,d%s", ingest.read(), ingest.accepted(),
          ingest.rejected(), ingest.status().equals("UNCHANGED") ? " (file unchanged: earlier run reused)" : ""));
      if (!ingest.rejectedByReason().isEmpty()) {
        l.add("  rejected by reason: " + ingest.rejectedByReason());
      }
      l.add(String.format(Locale.ROOT, "customers scored %,d (%,d cold start), model %s%s", customersScored,
          coldStart, champion, !modelStep.train() ? " (scoring path: nothing trained)"
              : championReused ? " (reused: data and settings unchanged)" : " (trained now)"));
      l.add("model step: " + modelStep.path() + " path, because " + modelStep.reason());
      if (evaluation != null) {
        evaluation.models().stream().filter(mr -> mr.name().equals(evaluation.champion())).findFirst().ifPresent(mr ->
            l.add(String.format(Locale.ROOT,
                "holdout %s..%s, champion %s: Spearman %.3f, normalized Gini %.3f, top-decile capture %.1f%%, "
                    + "predicted total %,.0f vs actual %,.0f",
                evaluation.calibrationEnd(), evaluation.holdoutEnd(), mr.name(), mr.spearman(), mr.normalizedGini(),
                100 * mr.topDecileCapture(), mr.predictedTotal(), mr.actualTotal())));
      }
      l.add(String.format(Locale.ROOT, "decisions %,d with rule set %s, run %d%s", decisions.decisions(),
          decisions.ruleSet(), decisions.runId(), resumed ? " (publishing of this earlier run resumed)"
              : String.format(Locale.ROOT, " (%,.0f decisions/s)", decisions.decisionsPerSecond())));
      l.add("  per tier:   " + decisions.perTier());
      l.add("  per action: " + decisions.perAction());
      if (!decisions.guardrailInterventions().isEmpty()) {
        l.add("  guardrails: " + decisions.guardrailInterventions());
      }
      if (decisions.perRuleSet() != null && decisions.perRuleSet().size() > 1) {
        l.add("  per rule set: " + decisions.perRuleSet() + " (compare them: valuetier rules compare --run "
            + decisions.runId() + ")");
      }
      if (decisions.controlGroup() > 0) {
        l.add(String.format(Locale.ROOT, "  control groups: %,d customers held out of their action (published as"
            + " hold-outs, not contacted)", decisions.controlGroup()));
      }
      l.add(String.format(Locale.ROOT, "actions published %s (%,d already delivered) to %s%s",
          publish.delivered() < 0 ? "unknown (the store failed)" : String.format(Locale.ROOT, "%,d", publish.delivered()),
          publish.alreadyDelivered(), publish.destination(), publish.folder() == null ? "" : " -> " + publish.folder()));
      if (publish.failure() != null) {
        l.add("  PUBLISH FAILED: " + publish.failure() + " (undelivered actions are in the dead-letter folder; run"
            + " again to deliver the rest: nothing delivered is delivered again, except that an outside endpoint may get the"
            + " batch in flight once more, with the same Idempotency-Key)");
      }
      if (retrain != null) {
        l.add("retrain check: " + retrain.reason());
      }
      l.add(String.format(Locale.ROOT, "monitoring: %d warnings (not errors; `valuetier monitor` for details)",
          monitoring.warnings().size()));
      monitoring.warnings().forEach(w -> l.add("  WARN " + w.message()));
      l.add("report " + report);
      return l;
    }
  }

  static void log(String message) {
    LOG.info(message);
  }

  /** A listener that does nothing (tests, JSON output). */
  public static Listener silent() {
    return new Listener() {
      @Override
      public void stage(String name, DoubleSupplier p, Supplier<String> d) {}

      @Override
      public void done(String name, double seconds, String summary) {}
    };
  }

  /** A listener that reports each finished stage to {@code out}. */
  public static Listener printing(Consumer<String> out) {
    return new Listener() {
      @Override
      public void stage(String name, DoubleSupplier p, Supplier<String> d) {}

      @Override
      public void done(String name, double seconds, String summary) {
        out.accept(String.format(Locale.ROOT, "%-9s %6.1f s  %s", name, seconds, summary));
      }
    };
  }
}
