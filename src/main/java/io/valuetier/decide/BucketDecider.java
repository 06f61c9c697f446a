package io.valuetier.decide;

import io.valuetier.store.IdRange;
import io.valuetier.decide.DecisionEngine.Staged;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.Store;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides one bucket of a distributed batch run ({@code valuetier run --workers}, on a worker): the run's scored
 * customers of a range of ids ({@link IdRange}, read through the key of {@code scores}), in customer order, through the
 * DMN, the customer-stage guardrails and the
 * control groups ({@link DecisionEngine#evaluate}, as {@link BatchDecider} does). A decision that needs no budget is
 * final and written; a costly offer is held back in {@code batch_costly} for the coordinator's budget stage
 * ({@link BatchBudgetStage}), since the budget goes by descending predicted value over the whole run. The decisions,
 * the held-back customers and the bucket's {@code batch_buckets} row are one store transaction: a bucket is stored
 * whole or not at all, and a second copy of it (two workers that both held it) fails on the primary keys.
 *
 * <p>Decision ids are the run's ({@link DecisionLog#firstDecisionId}) plus {@code bucket << 24} plus the customer's
 * place in the bucket: the same whoever decides the bucket, and never those of another bucket.
 */
public final class BucketDecider {
  /** The most buckets a run may have (decision ids keep 24 bits for the place in the bucket). */
  public static final int MAX_BUCKETS = 128;
  private static final int SEQUENCE_BITS = 24;
  private static final MultiRowInsert COSTLY =
      new MultiRowInsert("INSERT", "batch_costly", "run_id,customer_id,bucket,sequence_no", 500);

  /**
   * What deciding a bucket did; {@code already} when the bucket was found done (nothing was decided again), with
   * the seconds it took, of which reading its customers.
   */
  public record Done(int bucket, int customers, int costly, boolean already, double readSeconds, double seconds) {}

  private final DecisionEngine engine;
  private final DecisionLog log;
  private final DecisionInputs inputs;
  private final int chunkSize;

  public BucketDecider(DecisionEngine engine, DecisionLog log, int chunkSize) {
    this.engine = engine;
    this.log = log;
    this.inputs = new DecisionInputs(log.store());
    this.chunkSize = Math.max(1, chunkSize);
  }

  /** Checks a number of buckets. */
  public static int checkBuckets(int buckets) {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("a run has 1 to " + MAX_BUCKETS + " buckets, not " + buckets);
    }
    return buckets;
  }

  /** Whether the bucket of the run is stored. */
  public static boolean done(Store store, long runId, int bucket) {
    return store.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE run_id = ? AND bucket = ?", runId, bucket) > 0;
  }

  /**
   * Decides bucket {@code bucket} of {@code buckets} of the run, the scored customers of {@code range} (the
   * coordinator's {@link IdRange#split}), and stores it, unless it is stored already.
   */
  public Done decide(long runId, int bucket, int buckets, IdRange range, String worker) {
    checkBuckets(buckets);
    if (bucket < 0 || bucket >= buckets) {
      throw new IllegalArgumentException("bucket " + bucket + " is not one of 0.." + (buckets - 1));
    }
    if (done(log.store(), runId, bucket)) {
      return new Done(bucket, 0, 0, true, 0, 0);
    }
    long t0 = System.nanoTime();
    Map<String, Integer> recent =
        inputs.recentContacts(Instant.now().minus(Duration.ofDays(engine.params().contactWindowDays())), range);
    List<DecisionInput> mine = new ArrayList<>();
    inputs.readInputs(recent, range, mine::add);
    mine.sort(Comparator.comparing(DecisionInput::customerId));
    double readSeconds = (System.nanoTime() - t0) / 1e9;
    if (mine.size() >= 1 << SEQUENCE_BITS) {
      throw new IllegalStateException("bucket " + bucket + " has " + mine.size() + " customers, more than a bucket's"
          + " decision ids allow: use more buckets (valuetier.kafka.buckets)");
    }
    long firstId = DecisionLog.firstDecisionId(runId);
    int first = bucket << SEQUENCE_BITS;
    BatchCounts counts = new BatchCounts();
    List<Decision> ready = new ArrayList<>(mine.size());
    List<Staged> costly = new ArrayList<>();
    Instant at = Instant.now();
    for (int from = 0; from < mine.size(); from += chunkSize) {
      List<DecisionInput> chunk = mine.subList(from, Math.min(mine.size(), from + chunkSize));
      for (Staged s : engine.evaluate(chunk, first + from, e -> counts.failed(e.getMessage()))) {
        if (s.action().isCostly()) {
          costly.add(s);
        } else {
          Decision d = engine.finish(s, firstId + s.action().getIndex(), at);
          counts.add(d);
          ready.add(d);
        }
      }
    }
    int customers = mine.size();
    log.write(ready, runId, c -> {
      COSTLY.insert(c, costly, (ps, i, s) -> {
        ps.setLong(i, runId);
        ps.setString(i + 1, s.input().customerId());
        ps.setInt(i + 2, bucket);
        ps.setInt(i + 3, s.action().getIndex());
      });
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_buckets (run_id,bucket,worker,customers,costly,"
          + "counts,done_at) VALUES (?,?,?,?,?,?,?)")) {
        ps.setLong(1, runId);
        ps.setInt(2, bucket);
        ps.setString(3, worker);
        ps.setInt(4, customers);
        ps.setInt(5, costly.size());
        ps.setString(6, counts.toJson());
        ps.setTimestamp(7, Timestamp.from(Instant.now()));
        ps.executeUpdate();
      }
      return null;
    });
    return new Done(bucket, customers, costly.size(), false, readSeconds, (System.nanoTime() - t0) / 1e9);
  }
}
