package io.valuetier.stream;

import io.valuetier.config.Settings;
import io.valuetier.decide.BatchBudgetStage;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.BucketDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.BucketScorer;
import io.valuetier.model.ScoringService;
import io.valuetier.pipeline.MainJob;
import io.valuetier.store.IdRange;
import io.valuetier.store.Store;
import io.valuetier.store.StoreId;
import io.valuetier.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The predict and decide stages of {@code valuetier run --workers}, on the coordinator, in two rounds over the same
 * buckets of customers (ranges of ids of {@code customers}, {@link IdRange#split}):
 *
 * <ol>
 *   <li><b>Score</b>: opens the decision run and a scoring round ({@link BucketScorer#start}), puts one record per
 *       bucket on the work topic ({@link BucketWork}; bucket {@code b} on partition {@code b} modulo the topic's
 *       partitions), waits until the store holds every bucket's scores ({@code batch_score_buckets}), then finishes
 *       the round ({@link BucketScorer#finish}: the customers no longer scored deleted, the scoring run recorded).
 *   <li><b>Decide</b>: one record per bucket again; a worker ranks the bucket's customers among the whole run (the
 *       value percentile, {@link BucketScorer#rank}) and decides them ({@link BucketDecider}); the coordinator waits
 *       until the store holds every bucket ({@code batch_buckets}), then does the budget stage alone
 *       ({@link BatchBudgetStage}) and finishes the run.
 * </ol>
 *
 * <p>The store is the truth, whoever did a bucket and however often it was taken. Past the deadline
 * ({@code valuetier.kafka.batch-deadline-minutes}, for each round) the run is recorded as aborted, naming the buckets
 * outstanding and which worker holds their partitions; the customers a round left unranked get their percentile among
 * the stored scores ({@link BucketScorer#rankStored}).
 */
public final class BatchCoordinator implements MainJob.DecideStage {
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);

  private final Settings settings;
  private final KafkaSettings kafka;
  private final DecideSettings decide;
  private final Store store;
  private long runId = -1;
  private List<IdRange> ranges;

  public BatchCoordinator(Settings settings, Store store) {
    this.settings = settings;
    this.kafka = KafkaSettings.from(settings);
    this.decide = DecideSettings.from(settings);
    this.store = store;
  }

  @Override
  public ScoringService.Result predict(CustomerLog log, DecisionEngine engine, DecisionLog decisions,
      MainJob.Listener listener) throws InterruptedException {
    int buckets = BucketDecider.checkBuckets(kafka.buckets());
    KafkaTopics.ensure(kafka, Duration.ofMinutes(2));
    long t0 = System.nanoTime();
    start(engine, decisions);
    try {
      BucketScorer.Round round = BucketScorer.start(settings, store, log, runId);
      ranges = IdRange.split(store, "customers", buckets);
      List<BucketWork> work = new ArrayList<>();
      String storeId = StoreId.of(store).id();
      for (int b = 0; b < buckets; b++) {
        work.add(BucketWork.score(storeId, b, buckets, ranges.get(b), engine.ruleSetKey(), round));
      }
      round(work, "batch_score_buckets", listener, "predict", log.size(), "customers scored");
      return BucketScorer.finish(store, round, log.fingerprint(), t0);
    } catch (RuntimeException | InterruptedException e) {
      abort(decisions, e);
      throw e;
    }
  }

  /**
   * Puts a round's records on the work topic and waits, showing {@code stage}'s progress, until {@code table} holds
   * every bucket of the run; past the deadline, throws naming the buckets outstanding.
   */
  private void round(List<BucketWork> work, String table, MainJob.Listener listener, String stage, long customers,
      String unit) throws InterruptedException {
    Map<Integer, Integer> partitionOf = publish(work);
    long[] done = {0, 0};
    listener.stage(stage, () -> customers == 0 ? 0 : (double) done[1] / customers, () -> done[1], unit);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(kafka.batchDeadlineMinutes());
    while (true) {
      long[] now = progress(table);
      done[1] = now[1];
      if (now[0] >= work.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + runId + ": not every bucket was " + (table.equals("batch_buckets")
            ? "decided" : "scored") + " within " + kafka.batchDeadlineMinutes()
            + " minutes (valuetier.kafka.batch-deadline-minutes): " + outstanding(table, work.size(), partitionOf)
            + "; are workers running (`valuetier worker`)?");
      }
      Thread.sleep(CHECK_EVERY);
    }
  }

  /** The run's buckets stored so far in {@code table}, and their customers. */
  private long[] progress(String table) {
    long[] done = {0, 0};
    store.forEachRow("the run's buckets", "SELECT COUNT(*), COALESCE(SUM(customers), 0) FROM " + table
        + " WHERE run_id = ?", rs -> {
          done[0] = rs.getLong(1);
          done[1] = rs.getLong(2);
        }, runId);
    return done;
  }

  /** Opens the decision run (once the last runs' leftovers are gone). */
  private void start(DecisionEngine engine, DecisionLog decisions) {
    decisions.purgeOlderThan(decide.traceRetention());
    BatchBudgetStage.forgetFinished(store);
    BucketScorer.forgetFinished(store);
    runId = decisions.startRun("BATCH", engine.ruleSetKey());
  }

  private void abort(DecisionLog decisions, Exception e) {
    decisions.finishRun(runId, 0, 0, 0, "{\"aborted\":" + Json.write(String.valueOf(e.getMessage())) + "}");
    BatchBudgetStage.forgetFinished(store);
    BucketScorer.forgetFinished(store);
    BucketScorer.rankStored(store);
  }

  @Override
  public BatchDecider.Report decide(DecisionEngine engine, DecisionLog log, int customers, MainJob.Listener listener)
      throws InterruptedException {
    int buckets = BucketDecider.checkBuckets(kafka.buckets());
    KafkaTopics.ensure(kafka, Duration.ofMinutes(2));
    long t0 = System.nanoTime();
    if (runId < 0) {
      throw new IllegalStateException("the workers decide the buckets they scored: predict comes before decide");
    }
    try {
      String storeId = StoreId.of(store).id();
      List<BucketWork> work = new ArrayList<>();
      for (int b = 0; b < buckets; b++) {
        work.add(BucketWork.decide(storeId, runId, b, buckets, ranges.get(b), engine.ruleSetKey()));
      }
      round(work, "batch_buckets", listener, "decide", customers, "decisions");
      double waited = (System.nanoTime() - t0) / 1e9;
      BatchDecider.Report report = new BatchBudgetStage(engine, log, decide.batchSize()).finish(runId, t0, waited);
      BucketScorer.forgetFinished(store);
      return report;
    } catch (RuntimeException | InterruptedException e) {
      abort(log, e);
      throw e;
    }
  }

  /** Puts the records on the work topic; returns the partition of each bucket. */
  private Map<Integer, Integer> publish(List<BucketWork> work) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    Map<Integer, Integer> partitionOf = new TreeMap<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      int partitions = producer.partitionsFor(kafka.workTopic()).size();
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (BucketWork w : work) {
        partitionOf.put(w.bucket(), w.bucket() % partitions);
        sent.add(producer.send(new ProducerRecord<>(kafka.workTopic(), w.bucket() % partitions, w.key(),
            w.toJson())));
      }
      for (var f : sent) {
        f.get(2, TimeUnit.MINUTES);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot put the buckets of run " + runId + " on " + kafka.workTopic() + " ("
          + kafka.bootstrapServers() + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while putting the buckets of run " + runId + " on the topic", e);
    }
    return partitionOf;
  }

  /** The buckets not yet stored, with the partition of each and who holds it in the workers' batch group. */
  private String outstanding(String table, int buckets, Map<Integer, Integer> partitionOf) {
    TreeSet<Integer> missing = new TreeSet<>();
    for (int b = 0; b < buckets; b++) {
      missing.add(b);
    }
    store.forEachRow("the run's buckets", "SELECT bucket FROM " + table + " WHERE run_id = ?",
        rs -> missing.remove(rs.getInt(1)), runId);
    Map<Integer, String> holder = holders();
    List<String> out = new ArrayList<>();
    for (int b : missing) {
      int partition = partitionOf.get(b);
      out.add("bucket " + b + " (partition " + partition + ", " + holder.getOrDefault(partition, "held by no worker")
          + ")");
    }
    return missing.size() + " of " + buckets + " outstanding: " + String.join(", ", out);
  }

  private Map<Integer, String> holders() {
    Map<Integer, String> out = new TreeMap<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(kafka.batchGroup())).all()
          .get(10, TimeUnit.SECONDS).get(kafka.batchGroup());
      for (MemberDescription m : g.members()) {
        for (TopicPartition tp : m.assignment().topicPartitions()) {
          if (tp.topic().equals(kafka.workTopic())) {
            out.put(tp.partition(), "held by " + m.clientId() + " on " + m.host());
          }
        }
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      out.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
