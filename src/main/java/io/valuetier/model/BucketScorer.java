package io.valuetier.model;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.IdRange;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The predict stage of a distributed batch run ({@code valuetier run --workers}) in buckets of customers, as
 * {@link ScoringService} does it for the whole store in one process, with the same rows as result.
 *
 * <ol>
 *   <li>The coordinator {@link #start starts} a scoring round: the champion and its explainer, the cutoff (the last
 *       day of the whole store's data), the share of the history panel, and the replaced history forgotten.
 *   <li>A worker {@link #score scores} a bucket, a range of customer ids: their log read through the key, the same
 *       features, model and reasons as in one process (what a customer gets depends on that customer alone), and in
 *       one store transaction their {@code scores} rows (their value percentile not yet known), their history and the
 *       bucket's {@code batch_score_buckets} row, with each customer's predicted spend at full precision.
 *   <li>The coordinator {@link #finish finishes} the round once every bucket is in: the customers no longer scored
 *       deleted, the scoring run recorded.
 *   <li>Before deciding a bucket, a worker {@link #rank ranks} its customers among the whole run's spends (read once
 *       per run from the buckets' rows): the value percentile {@link ScoringService} gives, to the last bit.
 * </ol>
 */
public final class BucketScorer {
  /**
   * A scoring round: of decision run {@code runId}, scoring run {@code scoringRun}, by the model
   * {@code algorithm/vVersion} with the reasons of {@code explainerAlgorithm/vExplainerVersion}, at {@code cutoff},
   * keeping {@code panelShare} of the purchasers' history; the model's id and horizon for the scoring run's record.
   */
  public record Round(
      long runId, String scoringRun, String algorithm, int version, String explainerAlgorithm,
      int explainerVersion, LocalDate cutoff, double panelShare, String modelId, int horizon) {}

  /** What scoring a bucket did; {@code already} when it was found scored (nothing was written again). */
  public record Done(int bucket, int customers, int withHistory, boolean already, double readSeconds, double seconds) {}

  private final Store store;
  private final TrainingService training;
  private final Map<String, ModelRegistry.Loaded> models = new HashMap<>();
  private long rankedRun = -1;
  private SpendRanks ranks;

  public BucketScorer(Settings settings, Store store) {
    this.store = store;
    this.training = new TrainingService(settings, store);
  }

  /**
   * Starts the scoring round of decision run {@code runId} on the coordinator, whose {@code log} is the whole
   * store's (a champion is trained first when there is none, as {@link ScoringService} does).
   */
  public static Round start(Settings settings, Store store, CustomerLog log, long runId) {
    if (log.records() == 0) {
      throw new IllegalStateException(
          "no transactions in " + store.describe() + ": run `valuetier ingest --transactions FILE --format F` first");
    }
    TrainingService training = new TrainingService(settings, store);
    LocalDate at = log.lastDate();
    if (training.registry().champion().isEmpty()) {
      training.train(log, store.describe(), at, false);
    }
    ModelRegistry.Champion c = training.registry().champion().orElseThrow();
    ModelRegistry.Loaded loaded = training.registry().load(c.algorithm(), c.version());
    int horizon = loaded.model().horizonDays();
    ScoreWriter.forgetHistory(store, loaded.entry(), at,
        settings.intValue("valuetier.monitor.score-history-days", horizon, 36_500));
    double share = ScoreWriter.panelShare(purchasers(log, (int) at.toEpochDay()),
        settings.intValue("valuetier.monitor.calibration.panel", 0, Integer.MAX_VALUE));
    return new Round(runId, UUID.randomUUID().toString(), c.algorithm(), c.version(), c.explainerAlgorithm(),
        c.explainerVersion(), at, share, loaded.entry().modelId(), horizon);
  }

  /** Customers of {@code log} with a purchase on or before {@code cutoffDay}: those the model scores. */
  static int purchasers(CustomerLog log, int cutoffDay) {
    int n = 0;
    for (int c = 0; c < log.size(); c++) {
      for (int r = log.from(c); r < log.to(c) && log.day(r) <= cutoffDay; r++) {
        if (log.gross(r) > 0) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Whether bucket {@code bucket} of the round of decision run {@code runId} is scored. */
  public static boolean done(Store store, long runId, int bucket) {
    return store.queryLong("SELECT COUNT(*) FROM batch_score_buckets WHERE run_id = ? AND bucket = ?", runId, bucket)
        > 0;
  }

  /** Scores bucket {@code bucket}, the customers of {@code range}, and stores it, unless it is stored already. */
  public Done score(Round round, int bucket, IdRange range, String worker) {
    if (done(store, round.runId(), bucket)) {
      return new Done(bucket, 0, 0, true, 0, 0);
    }
    long t0 = System.nanoTime();
    CustomerLog log = StoreHistory.read(store, range);
    double readSeconds = since(t0);
    ModelRegistry.Loaded model = model(round.algorithm(), round.version());
    ValueModel explainer = model.model().explains() ? model.model()
        : model(round.explainerAlgorithm(), round.explainerVersion()).model();
    ScoringService.ScoredLog scored = ScoringService.scoreLog(log, round.cutoff(), model.model(), explainer,
        training.settings());
    List<ScoredCustomer> rows = scored.rows();
    List<String> ids = new ArrayList<>(rows.size());
    double[] spends = new double[rows.size()];
    double total = 0;
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.get(i).customerId());
      spends[i] = rows.get(i).spend();
      total += spends[i];
    }
    double sum = total;
    try {
      store.inTransaction(c -> {
        int history = ScoreWriter.writeBucket(c, store.dialect(), rows, model.entry(), round.cutoff(),
            model.model().horizonDays(), round.panelShare(), round.scoringRun());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_score_buckets (run_id,bucket,worker,"
            + "customers,with_history,cold_start,history,predicted_total,seconds,ids,spends,done_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
          ps.setLong(1, round.runId());
          ps.setInt(2, bucket);
          ps.setString(3, worker);
          ps.setInt(4, rows.size());
          ps.setInt(5, scored.withHistory());
          ps.setInt(6, scored.coldStart());
          ps.setInt(7, history);
          ps.setDouble(8, sum);
          ps.setDouble(9, since(t0));
          ps.setBytes(10, encodeIds(ids));
          ps.setBytes(11, encodeSpends(spends));
          ps.setTimestamp(12, Timestamp.from(Instant.now()));
          ps.executeUpdate();
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store the scores of bucket " + bucket + " of run " + round.runId() + " in "
          + store.describe() + ": " + e.getMessage(), e);
    }
    return new Done(bucket, rows.size(), scored.withHistory(), false, readSeconds, since(t0));
  }

  /**
   * Ends the round on the coordinator once every bucket is stored: deletes the scores of customers this run did not
   * score (no longer in the store), records the scoring run, and returns what {@link ScoringService} would.
   */
  public static ScoringService.Result finish(Store store, Round round, String fingerprint, long t0) {
    double[] sums = new double[6];
    store.forEachRow("the run's scored buckets", "SELECT COALESCE(SUM(customers), 0), COALESCE(SUM(with_history), 0),"
        + " COALESCE(SUM(cold_start), 0), COALESCE(SUM(history), 0), COALESCE(SUM(predicted_total), 0),"
        + " COALESCE(SUM(seconds), 0) FROM batch_score_buckets WHERE run_id = ?", rs -> {
          for (int i = 0; i < 6; i++) {
            sums[i] = rs.getDouble(i + 1);
          }
        }, round.runId());
    store.execute("DELETE FROM scores WHERE run_id IS NULL OR run_id <> ?", round.scoringRun());
    int customers = (int) sums[0];
    int withHistory = (int) sums[1];
    int cold = (int) sums[2];
    double seconds = since(t0);
    ScoringService.logRun(store, round.scoringRun(), round.modelId(), round.version(), round.cutoff(),
        round.horizon(), customers, cold, (int) sums[3], fingerprint, seconds);
    return new ScoringService.Result(customers, withHistory, cold, customers - withHistory, round.modelId(), false,
        round.cutoff(), round.horizon(), sums[4], fingerprint, seconds, 0, 0, sums[5], 0, 0);
  }

  /**
   * Writes the value percentile of bucket {@code bucket}'s customers of decision run {@code runId}: each one's rank
   * among the whole run's predicted spends, read from every bucket's row once per run. Idempotent: whoever ranks a
   * bucket, and however often, writes the same values. Returns the customers ranked.
   */
  public int rank(long runId, int bucket) {
    if (rankedRun != runId) {
      List<double[]> parts = new ArrayList<>();
      int[] n = {0};
      store.forEachRow("the run's predicted spends", "SELECT spends FROM batch_score_buckets WHERE run_id = ?",
          rs -> {
            double[] s = decodeSpends(rs.getBytes(1));
            parts.add(s);
            n[0] += s.length;
          }, runId);
      double[] all = new double[n[0]];
      int at = 0;
      for (double[] p : parts) {
        System.arraycopy(p, 0, all, at, p.length);
        at += p.length;
      }
      ranks = SpendRanks.of(all);
      rankedRun = runId;
    }
    List<String> ids = new ArrayList<>();
    List<double[]> spends = new ArrayList<>();
    store.forEachRow("the bucket's predicted spends", "SELECT ids, spends FROM batch_score_buckets"
        + " WHERE run_id = ? AND bucket = ?", rs -> {
          ids.addAll(decodeIds(rs.getBytes(1)));
          spends.add(decodeSpends(rs.getBytes(2)));
        }, runId, bucket);
    if (spends.isEmpty()) {
      throw new IllegalStateException("bucket " + bucket + " of run " + runId + " is not scored (or its run is"
          + " finished): nothing to rank");
    }
    double[] mine = spends.get(0);
    double[] percentiles = new double[mine.length];
    for (int i = 0; i < mine.length; i++) {
      percentiles[i] = ranks.percentile(mine[i]);
    }
    return writePercentiles(store, ids, percentiles, "bucket " + bucket + " of run " + runId);
  }

  /** Sets the value percentile of each customer of {@code ids}; {@code whose} names them in an error. */
  private static int writePercentiles(Store store, List<String> ids, double[] percentiles, String whose) {
    try {
      return store.inTransaction(c -> {
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE scores SET value_percentile = ? WHERE customer_id = ?")) {
          for (int i = 0; i < ids.size(); i++) {
            ps.setDouble(1, percentiles[i]);
            ps.setString(2, ids.get(i));
            ps.addBatch();
            if ((i + 1) % 1_000 == 0) {
              ps.executeBatch();
            }
          }
          ps.executeBatch();
        }
        return ids.size();
      });
    } catch (SQLException e) {
      throw new StoreException("cannot write the value percentiles of " + whose + " in " + store.describe() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * After the run is finished (or aborted): empties the buckets' ids and spends, so that no customer id stays in the
   * batch's tables; the rows keep who scored which bucket and its counts.
   */
  public static void forgetFinished(Store store) {
    store.execute("DELETE FROM batch_score_buckets WHERE run_id NOT IN (SELECT run_id FROM decision_runs)");
    store.execute("UPDATE batch_score_buckets SET ids = NULL, spends = NULL WHERE ids IS NOT NULL AND run_id IN"
        + " (SELECT run_id FROM decision_runs WHERE finished_at IS NOT NULL)");
  }

  /**
   * After a run that stopped between its rounds: gives the customers it left unranked ({@link ScoreWriter#UNRANKED})
   * their percentile among every stored score (the stored spends, to the cent), so that the API and the next stages
   * never read an unranked score. Returns the customers ranked (none when every score is ranked).
   */
  public static int rankStored(Store store) {
    if (store.queryLong("SELECT COUNT(*) FROM scores WHERE value_percentile < 0") == 0) {
      return 0;
    }
    List<String> unranked = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    double[][] all = {new double[1024]};
    int[] n = {0};
    store.forEachRow("the stored scores", "SELECT customer_id, predicted_spend, value_percentile FROM scores", rs -> {
      double spend = rs.getDouble(2);
      if (n[0] == all[0].length) {
        all[0] = Arrays.copyOf(all[0], 2 * n[0]);
      }
      all[0][n[0]++] = spend;
      if (rs.getDouble(3) < 0) {
        unranked.add(rs.getString(1));
        theirs.add(spend);
      }
    });
    SpendRanks r = SpendRanks.of(Arrays.copyOf(all[0], n[0]));
    double[] percentiles = theirs.stream().mapToDouble(r::percentile).toArray();
    return writePercentiles(store, unranked, percentiles, "the customers a stopped run left unranked");
  }

  private ModelRegistry.Loaded model(String algorithm, int version) {
    return models.computeIfAbsent(algorithm + "/v" + version, k -> training.registry().load(algorithm, version));
  }

  static byte[] encodeIds(List<String> ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.size() * 12);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(ids.size());
      for (String id : ids) {
        out.writeUTF(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<String> decodeIds(byte[] b) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      int n = in.readInt();
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(in.readUTF());
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException("the ids of a scored bucket cannot be read", e);
    }
  }

  static byte[] encodeSpends(double[] spends) {
    ByteBuffer b = ByteBuffer.allocate(8 * spends.length);
    b.asDoubleBuffer().put(spends);
    return b.array();
  }

  static double[] decodeSpends(byte[] b) {
    double[] d = new double[b.length / 8];
    ByteBuffer.wrap(b).asDoubleBuffer().get(d);
    return d;
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
