package io.valuetier.model;

import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.RunReplacement;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes what a scoring gives: replaces {@code scores} (one row per customer, with the three reasons in words and
 * their codes) and appends the run's predictions to {@code score_history} for calibration: customers with a purchase
 * by the cutoff, all of them up to the panel size and beyond it a seeded panel of about that many ({@link #inPanel}:
 * chosen by a hash of the customer id, so that every run keeps the same customers); an earlier run of the same model
 * at the same cutoff is replaced; runs whose cutoff is older than the retention are deleted, and
 * {@code scoring_runs.history_customers} of those runs set to 0.
 *
 * <p>Both tables are written on one connection, in customer-id order, committed slice by slice (the scores by
 * {@link RunReplacement}; the history after them, its earlier rows of the same cutoff and model deleted first).
 * Writing them at the same time on two connections was tried and measured: on H2 the write took 3.6 times as long
 * (104.7 s against 28.9 s for 91,663 customers, see BENCHMARKS.md), so it is not done.
 */
final class ScoreWriter {
  private static final String SCORE_COLUMNS =
      "customer_id,model_id,model_version,scored_at,cutoff_date,horizon_days,predicted_spend,probability_active,"
          + "value_percentile,cold_start,tenure_days,returns_ratio,reason_1,reason_2,reason_3,reason_codes,"
          + "predicted_spend_low,predicted_spend_high,run_id";
  private static final RunReplacement SCORES = new RunReplacement("scores", SCORE_COLUMNS, "customer_id", 200);
  private static final MultiRowInsert HISTORY =
      new MultiRowInsert(
          "INSERT",
          "score_history",
          "run_id,customer_id,model_id,cutoff_date,horizon_days,predicted_spend,probability_active",
          200);

  private final Store store;

  ScoreWriter(Store store) {
    this.store = store;
  }

  /**
   * Writes {@code rows} (value percentiles in {@code percentile}, same order) as scoring run {@code runId}, and
   * returns how many customers its history keeps ({@code panel} at most, about; 0 = every customer).
   */
  int write(
      List<ScoredCustomer> rows, double[] percentile, ModelRegistry.Entry entry, LocalDate cutoff, int horizon,
      int historyDays, int panel, String runId) {
    Timestamp now = Timestamp.from(Instant.now());
    Date cutoffDate = Date.valueOf(cutoff);
    // in key order: each insert lands beside the previous one, so the database rewrites the last page of the primary
    // key instead of pages all over it (customer ids come in the order the transactions first named them)
    List<Integer> order = keyOrder(rows);
    List<ScoredCustomer> sorted = order.stream().map(rows::get).toList();
    try {
      return store.inTransaction(c -> {
        scores(c, store.dialect(), rows, order, percentile, entry, now, cutoffDate, horizon, runId);
        return history(c, store.dialect(), sorted, entry, cutoff, horizon, historyDays, panel, runId);
      });
    } catch (SQLException e) {
      throw new StoreException("cannot write the scores to " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the scores with this run's ({@link RunReplacement}: each customer's row in place, then the customers no
   * longer scored deleted; deleting all first took twice as long on H2, 18.4 s against 8.4 s at 300,000 customers).
   */
  private static void scores(
      Connection c, Store.Dialect dialect, List<ScoredCustomer> rows, List<Integer> order, double[] percentile,
      ModelRegistry.Entry entry, Timestamp now, Date cutoffDate, int horizon, String runId) throws SQLException {
    RunReplacement.Run run = SCORES.begin(c, dialect, runId);
    int slice = RunReplacement.rowsPerCommit(dialect);
    String version = String.valueOf(entry.version());
    for (int from = 0; from < order.size(); from += slice) {
      run.insert(
          order.subList(from, Math.min(order.size(), from + slice)),
          (ps, i, k) -> bindScore(ps, i, rows.get(k), percentile[k], entry, version, now, cutoffDate, horizon, runId));
    }
    run.finish();
  }

  private static void bindScore(
      PreparedStatement ps, int i, ScoredCustomer s, double percentile, ModelRegistry.Entry entry, String version,
      Timestamp now, Date cutoffDate, int horizon, String runId) throws SQLException {
    ps.setString(i, s.customerId());
    ps.setString(i + 1, entry.modelId());
    ps.setString(i + 2, version);
    ps.setTimestamp(i + 3, now);
    ps.setDate(i + 4, cutoffDate);
    ps.setInt(i + 5, horizon);
    ps.setBigDecimal(i + 6, BigDecimal.valueOf(s.spend()).setScale(2, RoundingMode.HALF_EVEN));
    ps.setDouble(i + 7, s.probability());
    ps.setDouble(i + 8, percentile);
    ps.setBoolean(i + 9, s.coldStart());
    ps.setInt(i + 10, s.tenureDays());
    ps.setDouble(i + 11, s.returnsRatio());
    List<String> texts = reasonTexts(s);
    ps.setString(i + 12, texts.get(0));
    ps.setString(i + 13, texts.get(1));
    ps.setString(i + 14, texts.get(2));
    ps.setString(i + 15, codes(s.reasons()));
    ps.setBigDecimal(i + 16, money(s.spendLow()));
    ps.setBigDecimal(i + 17, money(s.spendHigh()));
    ps.setString(i + 18, runId);
  }

  /**
   * Writes one bucket's rows of a distributed scoring run ({@link BucketScorer}) on {@code c}, in its open
   * transaction (nothing is committed here): each customer's {@code scores} row replaced in place by its key, with
   * {@link #UNRANKED} for its value percentile (a rank over the whole run, written once every bucket is scored), and
   * the history of the customers of the run's panel ({@code share}, the coordinator's: {@link #panelShare} of the whole
   * run). Returns the history rows written.
   */
  static int writeBucket(
      Connection c, Store.Dialect dialect, List<ScoredCustomer> rows, ModelRegistry.Entry entry, LocalDate cutoff,
      int horizon, double share, String runId) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    Date cutoffDate = Date.valueOf(cutoff);
    String version = String.valueOf(entry.version());
    List<ScoredCustomer> sorted = rows.stream().sorted(Comparator.comparing(ScoredCustomer::customerId)).toList();
    MultiRowInsert.upsert(dialect, "scores", SCORE_COLUMNS, "customer_id", 200).insert(c, sorted,
        (ps, i, s) -> bindScore(ps, i, s, UNRANKED, entry, version, now, cutoffDate, horizon, runId));
    List<ScoredCustomer> predicted =
        sorted.stream().filter(ScoredCustomer::purchased).filter(s -> inPanel(s.customerId(), share)).toList();
    HISTORY.insert(c, predicted, (ps, i, s) -> bindHistory(ps, i, s, runId, entry, cutoffDate, horizon));
    return predicted.size();
  }

  /** The value percentile of a customer whose bucket is scored but whose run is not yet ranked. */
  static final double UNRANKED = -1;

  /** The share of a run's purchasers its history keeps: all up to {@code panel} (0: all), then about that many. */
  static double panelShare(int purchased, int panel) {
    return panel == 0 || purchased <= panel ? 1 : (double) panel / purchased;
  }

  /**
   * Before a distributed run's buckets write their history: deletes the history the run replaces (the same model at
   * the same cutoff, and the cutoffs past retention), as {@link #write} does for a run in one process.
   */
  static void forgetHistory(Store store, ModelRegistry.Entry entry, LocalDate cutoff, int historyDays) {
    Date cutoffDate = Date.valueOf(cutoff);
    Date oldest = Date.valueOf(cutoff.minusDays(historyDays));
    try {
      store.inTransaction(c -> {
        forget(c, "DELETE FROM score_history", cutoffDate, entry.modelId(), oldest);
        forget(c, "UPDATE scoring_runs SET history_customers = 0", cutoffDate, entry.modelId(), oldest);
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot forget the replaced score history in " + store.describe() + ": "
          + e.getMessage(), e);
    }
  }

  /** The rows' positions in customer-id order (sorted on both cores: nothing else runs yet). */
  private static List<Integer> keyOrder(List<ScoredCustomer> rows) {
    record Keyed(String id, int k) {}
    Keyed[] keyed = new Keyed[rows.size()];
    for (int k = 0; k < keyed.length; k++) {
      keyed[k] = new Keyed(rows.get(k).customerId(), k);
    }
    Arrays.parallelSort(keyed, Comparator.comparing(Keyed::id));
    List<Integer> order = new ArrayList<>(keyed.length);
    for (Keyed x : keyed) {
      order.add(x.k());
    }
    return order;
  }

  /**
   * Whether {@code customerId} is in the history panel of a run that keeps {@code share} of its customers: a 64-bit
   * FNV-1a hash of the id, mixed (MurmurHash3's finaliser), below {@code share} of its range. The same customers at
   * every run, and a smaller share keeps a subset of a larger one's.
   */
  static boolean inPanel(String customerId, double share) {
    if (share >= 1) {
      return true;
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < customerId.length(); i++) {
      h = (h ^ customerId.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53 < share;
  }

  private static BigDecimal money(Double v) {
    return v == null ? null : BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
  }

  private static int history(
      Connection c, Store.Dialect dialect, List<ScoredCustomer> rows, ModelRegistry.Entry entry, LocalDate cutoff,
      int horizon, int historyDays, int panel, String runId) throws SQLException {
    Date cutoffDate = Date.valueOf(cutoff);
    Date oldest = Date.valueOf(cutoff.minusDays(historyDays));
    forget(c, "DELETE FROM score_history", cutoffDate, entry.modelId(), oldest);
    forget(c, "UPDATE scoring_runs SET history_customers = 0", cutoffDate, entry.modelId(), oldest);
    List<ScoredCustomer> purchased = rows.stream().filter(ScoredCustomer::purchased).toList();
    double share = panelShare(purchased.size(), panel);
    List<ScoredCustomer> predicted = purchased.stream().filter(s -> inPanel(s.customerId(), share)).toList();
    int slice = RunReplacement.rowsPerCommit(dialect);
    for (int from = 0; from < predicted.size(); from += slice) {
      HISTORY.insert(
          c,
          predicted.subList(from, Math.min(predicted.size(), from + slice)),
          (ps, i, s) -> bindHistory(ps, i, s, runId, entry, cutoffDate, horizon));
      c.commit(); // slice by slice, as the scores: a run stopped midway is replaced by the next at the same cutoff
    }
    return predicted.size();
  }

  private static void bindHistory(
      PreparedStatement ps, int i, ScoredCustomer s, String runId, ModelRegistry.Entry entry, Date cutoffDate,
      int horizon) throws SQLException {
    ps.setString(i, runId);
    ps.setString(i + 1, s.customerId());
    ps.setString(i + 2, entry.modelId());
    ps.setDate(i + 3, cutoffDate);
    ps.setInt(i + 4, horizon);
    ps.setDouble(i + 5, s.spend());
    ps.setDouble(i + 6, s.probability());
  }

  /**
   * Runs {@code change} (a DELETE or UPDATE without its WHERE) on the history of the earlier runs this one replaces:
   * those of the same model at the same cutoff, and those whose cutoff is before {@code oldest} (past retention).
   */
  private static void forget(Connection c, String change, Date cutoff, String modelId, Date oldest)
      throws SQLException {
    try (PreparedStatement same = c.prepareStatement(change + " WHERE cutoff_date = ? AND model_id = ?")) {
      same.setDate(1, cutoff);
      same.setString(2, modelId);
      same.executeUpdate();
    }
    try (PreparedStatement old = c.prepareStatement(change + " WHERE cutoff_date < ?")) {
      old.setDate(1, oldest);
      old.executeUpdate();
    }
  }

  private static List<String> reasonTexts(ScoredCustomer s) {
    List<String> t = s.reasonTexts();
    while (t.size() < 3) {
      t.add(null);
    }
    return t;
  }

  /** The reasons' features with their signed push, e.g. {@code recency_days:-0.412;frequency:+0.233}. */
  static String codes(List<Reason> reasons) {
    if (reasons.isEmpty()) {
      return null;
    }
    String s =
        reasons.stream()
            .map(r -> r.feature() + ":" + String.format(Locale.ROOT, "%+.3f", r.contribution()))
            .collect(Collectors.joining(";"));
    return s.length() <= 255 ? s : s.substring(0, 255);
  }
}
