package io.valuetier.model;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.StoreHistory;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * {@code predict}: scores every customer in the store with the registry's champion (training one with {@code train}
 * semantics when there is none) and replaces the {@code scores} table: one row per customer with predicted spend,
 * probability of buying, value percentile, cold-start flag and the three reasons in words. The reasons are the
 * TreeSHAP values of the boosted trees: of the champion when it is the GBT model, else of the GBT model trained with
 * it (named in {@code champion.json}).
 */
public final class ScoringService {
  private final Settings settings;
  private final Store store;
  private final TrainingService training;

  public ScoringService(Settings settings, Store store) {
    this.settings = settings;
    this.store = store;
    this.training = new TrainingService(settings, store);
  }

  /**
   * What a scoring did.
   *
   * @param customersScored rows written to {@code scores}
   * @param withHistory customers who had bought by the cutoff (scored by the model)
   * @param coldStart of those, customers with too little history
   * @param withoutPurchase customers known only from their facts (written as cold starts with no prediction)
   * @param modelId the model used
   * @param trained whether a model had to be trained first
   * @param cutoff the cutoff
   * @param horizonDays the horizon
   * @param predictedTotal sum of predicted spend
   * @param dataFingerprint the data scored
   * @param seconds wall time
   * @param readSeconds reading the store
   * @param trainSeconds training (0 when the champion existed)
   * @param scoreSeconds features and predictions
   * @param explainSeconds TreeSHAP reasons
   * @param writeSeconds writing the scores
   */
  public record Result(
      int customersScored,
      int withHistory,
      int coldStart,
      int withoutPurchase,
      String modelId,
      boolean trained,
      LocalDate cutoff,
      int horizonDays,
      double predictedTotal,
      String dataFingerprint,
      double seconds,
      double readSeconds,
      double trainSeconds,
      double scoreSeconds,
      double explainSeconds,
      double writeSeconds) {}

  /** Scores every customer at {@code cutoff} (null: the last day of data). */
  public Result scoreAll(LocalDate cutoff) {
    long t0 = System.nanoTime();
    CustomerLog log = StoreHistory.read(store);
    return scoreAll(log, cutoff, t0, since(t0));
  }

  /** As {@link #scoreAll(LocalDate)}, on a log already read from this store (the main job reads it once). */
  public Result scoreAll(CustomerLog log, LocalDate cutoff) {
    return scoreAll(log, cutoff, System.nanoTime(), 0);
  }

  private Result scoreAll(CustomerLog log, LocalDate cutoff, long t0, double readSeconds) {
    if (log.records() == 0) {
      throw new IllegalStateException(
          "no transactions in " + store.describe() + ": run `valuetier ingest --transactions FILE --format F` first");
    }
    LocalDate at = cutoff != null ? cutoff : log.lastDate();
    long t1 = System.nanoTime();
    boolean trained = false;
    if (training.registry().champion().isEmpty()) {
      training.train(log, store.describe(), at, false);
      trained = true;
    }
    double trainSeconds = trained ? since(t1) : 0;
    ModelRegistry.Loaded loaded = training.registry().loadChampion();
    ModelRegistry.Loaded explainer =
        loaded.model().explains() ? loaded : training.registry().loadExplainer();
    return score(log, at, loaded, explainer.model(), trained, t0, readSeconds, trainSeconds);
  }

  private Result score(
      CustomerLog log, LocalDate at, ModelRegistry.Loaded loaded, ValueModel explainer, boolean trained, long t0,
      double readSeconds, double trainSeconds) {
    ValueModel model = loaded.model();
    ScoredLog scored = scoreLog(log, at, model, explainer, training.settings());
    List<ScoredCustomer> rows = scored.rows();
    double[] spend = rows.stream().mapToDouble(ScoredCustomer::spend).toArray();
    double[] percentile = percentiles(spend);
    long t4 = System.nanoTime();
    String runId = UUID.randomUUID().toString();
    int history = new ScoreWriter(store)
        .write(rows, percentile, loaded.entry(), at, model.horizonDays(),
            settings.intValue("valuetier.monitor.score-history-days", model.horizonDays(), 36_500),
            settings.intValue("valuetier.monitor.calibration.panel", 0, Integer.MAX_VALUE), runId);
    double writeSeconds = since(t4);
    double total = Arrays.stream(spend).sum();
    double seconds = since(t0);
    logRun(store, runId, loaded.entry().modelId(), loaded.entry().version(), at, model.horizonDays(), rows.size(),
        scored.coldStart(), history, log.fingerprint(), seconds);
    return new Result(
        rows.size(), scored.withHistory(), scored.coldStart(), scored.withoutPurchase(), loaded.entry().modelId(),
        trained, at, model.horizonDays(), total, log.fingerprint(), seconds, readSeconds, trainSeconds,
        scored.scoreSeconds(), scored.explainSeconds(), writeSeconds);
  }

  /**
   * The scored customers of a log at a cutoff, one row per customer of the log: those who had bought by {@code at}
   * (scored by {@code model}, with the reasons of {@code explainer} when it explains), then those known from their
   * facts only. What one customer gets does not depend on the others in the log, so a bucket's log gives each of its
   * customers the row the whole store's log gives.
   *
   * @param withHistory customers scored by the model
   * @param coldStart of those, customers with too little history
   * @param withoutPurchase customers known only from their facts
   */
  record ScoredLog(
      List<ScoredCustomer> rows, int withHistory, int coldStart, int withoutPurchase, double scoreSeconds,
      double explainSeconds) {}

  static ScoredLog scoreLog(
      CustomerLog log, LocalDate at, ValueModel model, ValueModel explainer, ModelSettings settings) {
    CustomerScorer scorer = new CustomerScorer(model, settings);
    long t2 = System.nanoTime();
    int cutoffDay = (int) at.toEpochDay();
    FeatureTable table = FeatureTable.at(log, cutoffDay, new FeatureBuilder(model.featureSpec()));
    int n = table.size();
    ScoredCustomer[] scored = new ScoredCustomer[n];
    IntStream.range(0, n).parallel().forEach(i -> scored[i] = scorer.score(table.id(i), table.row(i), false));
    double scoreSeconds = since(t2);
    long t3 = System.nanoTime();
    if (explainer.explains() && settings.reasons() > 0) {
      IntStream.range(0, n)
          .parallel()
          .forEach(i -> scored[i] = scored[i].withReasons(explainer.explain(table.row(i), settings.reasons())));
    }
    double explainSeconds = since(t3);
    // customers known from their facts only
    boolean[] has = new boolean[log.size()];
    for (int i = 0; i < n; i++) {
      has[table.customer(i)] = true;
    }
    List<ScoredCustomer> rows = new ArrayList<>(log.size());
    rows.addAll(Arrays.asList(scored));
    int without = 0;
    for (int c = 0; c < log.size(); c++) {
      if (!has[c]) {
        rows.add(CustomerScorer.noPurchase(log.id(c)));
        without++;
      }
    }
    int cold = (int) Arrays.stream(scored).filter(ScoredCustomer::coldStart).count();
    return new ScoredLog(rows, n, cold, without, scoreSeconds, explainSeconds);
  }

  /** 0..100: the share of the other customers predicted to spend less (ties share their mean rank). */
  static double[] percentiles(double[] v) {
    int n = v.length;
    double[] p = new double[n];
    if (n <= 1) {
      return p;
    }
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0;
      for (int k = i; k <= j; k++) {
        p[idx[k]] = 100.0 * rank / (n - 1);
      }
      i = j + 1;
    }
    return p;
  }

  static void logRun(
      Store store, String runId, String modelId, int version, LocalDate cutoff, int horizon, int customers, int cold,
      int history, String fingerprint, double seconds) {
    Instant end = Instant.now();
    store.execute(
        "INSERT INTO scoring_runs (run_id,model_id,model_version,cutoff_date,horizon_days,started_at,finished_at,"
            + "customers_scored,cold_start,history_customers,data_fingerprint,seconds) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        runId, modelId, String.valueOf(version), Date.valueOf(cutoff),
        horizon, Timestamp.from(end.minusMillis((long) (seconds * 1000))), Timestamp.from(end), customers, cold,
        history, fingerprint, seconds);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  public Settings settings() {
    return settings;
  }
}
