package io.valuetier.model;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.StoreHistory;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code predict}: scores every customer in the store with the registry's champion (training one with {@code train}
 * semantics when there is none) and replaces the {@code scores} table: one row per customer with predicted spend,
 * probability of buying, value percentile, cold-start flag and the three reasons in words. The reasons are the
 * TreeSHAP values of the boosted trees: of the champion when it is the GBT model, else of the GBT model trained with
 * it (named in {@code champion.json}).
 */
public final class ScoringService {
  private static final MultiRowInsert INSERT =
      new MultiRowInsert(
          "INSERT",
          "scores",
          "customer_id,model_id,model_version,scored_at,cutoff_date,horizon_days,predicted_spend,probability_active,"
              + "value_percentile,cold_start,tenure_days,returns_ratio,reason_1,reason_2,reason_3,reason_codes",
          200);
  private static final MultiRowInsert HISTORY =
      new MultiRowInsert(
          "INSERT",
          "score_history",
          "run_id,customer_id,model_id,cutoff_date,horizon_days,predicted_spend,probability_active",
          200);

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
    CustomerScorer scorer = new CustomerScorer(model, training.settings());
    long t2 = System.nanoTime();
    int cutoffDay = (int) at.toEpochDay();
    FeatureTable table = FeatureTable.at(log, cutoffDay, new FeatureBuilder(model.featureSpec()));
    int n = table.size();
    ScoredCustomer[] scored = new ScoredCustomer[n];
    IntStream.range(0, n).parallel().forEach(i -> scored[i] = scorer.score(table.id(i), table.row(i), false));
    double scoreSeconds = since(t2);
    long t3 = System.nanoTime();
    if (explainer.explains() && training.settings().reasons() > 0) {
      IntStream.range(0, n)
          .parallel()
          .forEach(
              i -> {
                ScoredCustomer s = scored[i];
                scored[i] =
                    new ScoredCustomer(
                        s.customerId(), s.spend(), s.probability(), s.coldStart(), true, s.tenureDays(),
                        s.returnsRatio(), explainer.explain(table.row(i), training.settings().reasons()));
              });
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
    double[] spend = rows.stream().mapToDouble(ScoredCustomer::spend).toArray();
    double[] percentile = percentiles(spend);
    long t4 = System.nanoTime();
    String runId = UUID.randomUUID().toString();
    write(rows, percentile, loaded.entry(), at, model.horizonDays(), runId);
    double writeSeconds = since(t4);
    int cold = (int) Arrays.stream(scored).filter(ScoredCustomer::coldStart).count();
    double total = Arrays.stream(spend).sum();
    double seconds = since(t0);
    logRun(runId, loaded.entry(), at, model.horizonDays(), rows.size(), cold, log.fingerprint(), seconds);
    return new Result(
        rows.size(), n, cold, without, loaded.entry().modelId(), trained, at, model.horizonDays(), total,
        log.fingerprint(), seconds, readSeconds, trainSeconds, scoreSeconds, explainSeconds, writeSeconds);
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

  /**
   * Replaces {@code scores} and appends the run's predictions to {@code score_history} (customers with a purchase by
   * the cutoff; an earlier run of the same model at the same cutoff is replaced; runs with a cutoff more than
   * {@code valuetier.monitor.score-history-days} earlier are deleted), in one transaction.
   */
  private void write(
      List<ScoredCustomer> rows, double[] percentile, ModelRegistry.Entry entry, LocalDate cutoff, int horizon,
      String runId) {
    Timestamp now = Timestamp.from(Instant.now());
    Date cutoffDate = Date.valueOf(cutoff);
    int historyDays = settings.intValue("valuetier.monitor.score-history-days", horizon, 36_500);
    List<Integer> order = IntStream.range(0, rows.size()).boxed().toList();
    try {
      store.inTransaction(c -> {
        try (Statement st = c.createStatement()) {
          st.executeUpdate("DELETE FROM scores");
        }
        for (int from = 0; from < order.size(); from += 10_000) {
          List<Integer> slice = order.subList(from, Math.min(order.size(), from + 10_000));
          INSERT.insert(
              c,
              slice,
              (ps, i, k) -> {
                ScoredCustomer s = rows.get(k);
                ps.setString(i, s.customerId());
                ps.setString(i + 1, entry.modelId());
                ps.setString(i + 2, String.valueOf(entry.version()));
                ps.setTimestamp(i + 3, now);
                ps.setDate(i + 4, cutoffDate);
                ps.setInt(i + 5, horizon);
                ps.setBigDecimal(i + 6, BigDecimal.valueOf(s.spend()).setScale(2, RoundingMode.HALF_EVEN));
                ps.setDouble(i + 7, s.probability());
                ps.setDouble(i + 8, percentile[k]);
                ps.setBoolean(i + 9, s.coldStart());
                ps.setInt(i + 10, s.tenureDays());
                ps.setDouble(i + 11, s.returnsRatio());
                List<String> texts = reasonTexts(s);
                ps.setString(i + 12, texts.get(0));
                ps.setString(i + 13, texts.get(1));
                ps.setString(i + 14, texts.get(2));
                ps.setString(i + 15, codes(s.reasons()));
              });
        }
        try (PreparedStatement del =
            c.prepareStatement("DELETE FROM score_history WHERE cutoff_date = ? AND model_id = ?")) {
          del.setDate(1, cutoffDate);
          del.setString(2, entry.modelId());
          del.executeUpdate();
        }
        try (PreparedStatement old =
            c.prepareStatement("DELETE FROM score_history WHERE cutoff_date < ?")) {
          old.setDate(1, Date.valueOf(cutoff.minusDays(historyDays)));
          old.executeUpdate();
        }
        List<ScoredCustomer> predicted = rows.stream().filter(ScoredCustomer::purchased).toList();
        for (int from = 0; from < predicted.size(); from += 10_000) {
          HISTORY.insert(
              c,
              predicted.subList(from, Math.min(predicted.size(), from + 10_000)),
              (ps, i, s) -> {
                ps.setString(i, runId);
                ps.setString(i + 1, s.customerId());
                ps.setString(i + 2, entry.modelId());
                ps.setDate(i + 3, cutoffDate);
                ps.setInt(i + 4, horizon);
                ps.setDouble(i + 5, s.spend());
                ps.setDouble(i + 6, s.probability());
              });
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot write the scores to " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  private static List<String> reasonTexts(ScoredCustomer s) {
    List<String> t = new ArrayList<>(3);
    if (!s.purchased()) {
      t.add("No purchase yet: no history to predict from");
    }
    for (Reason r : s.reasons()) {
      t.add(r.text());
    }
    while (t.size() < 3) {
      t.add(null);
    }
    return t;
  }

  private static String codes(List<Reason> reasons) {
    if (reasons.isEmpty()) {
      return null;
    }
    String s =
        reasons.stream()
            .map(r -> r.feature() + ":" + String.format(Locale.ROOT, "%+.3f", r.contribution()))
            .collect(Collectors.joining(";"));
    return s.length() <= 255 ? s : s.substring(0, 255);
  }

  private void logRun(
      String runId, ModelRegistry.Entry entry, LocalDate cutoff, int horizon, int customers, int cold, String fingerprint,
      double seconds) {
    Instant end = Instant.now();
    store.execute(
        "INSERT INTO scoring_runs (run_id,model_id,model_version,cutoff_date,horizon_days,started_at,finished_at,"
            + "customers_scored,cold_start,data_fingerprint,seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        runId, entry.modelId(), String.valueOf(entry.version()), Date.valueOf(cutoff),
        horizon, Timestamp.from(end.minusMillis((long) (seconds * 1000))), Timestamp.from(end), customers, cold,
        fingerprint, seconds);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  public Settings settings() {
    return settings;
  }
}
