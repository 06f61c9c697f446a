package io.valuetier.stream;

import io.valuetier.decide.BatchBudgetStage;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.BucketDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.IdRange;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.pipeline.MainJob;
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
 * The decide stage of {@code valuetier run --workers}, on the coordinator: opens the decision run, puts one record
 * per bucket of customers on the work topic ({@link BucketWork}; bucket {@code b} on partition {@code b} modulo the
 * topic's partitions), waits until the store holds every bucket ({@code batch_buckets}, written by the workers'
 * {@link BucketDecider}; the store is the truth, whoever decided a bucket and however often it was taken), then does
 * the budget stage alone ({@link BatchBudgetStage}) and finishes the run. Past the deadline
 * ({@code valuetier.kafka.batch-deadline-minutes}) the run is recorded as aborted, naming the buckets outstanding and
 * which worker holds their partitions.
 */
public final class BatchCoordinator implements MainJob.DecideStage {
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);

  private final KafkaSettings kafka;
  private final DecideSettings decide;
  private final Store store;

  public BatchCoordinator(KafkaSettings kafka, DecideSettings decide, Store store) {
    this.kafka = kafka;
    this.decide = decide;
    this.store = store;
  }

  @Override
  public BatchDecider.Report decide(DecisionEngine engine, DecisionLog log, int customers, MainJob.Listener listener)
      throws InterruptedException {
    int buckets = BucketDecider.checkBuckets(kafka.buckets());
    KafkaTopics.ensure(kafka, Duration.ofMinutes(2));
    long t0 = System.nanoTime();
    log.purgeOlderThan(decide.traceRetention());
    BatchBudgetStage.forgetFinished(store);
    long runId = log.startRun("BATCH", engine.ruleSetKey());
    try {
      Map<Integer, Integer> partitionOf = publish(runId, buckets, engine.ruleSetKey());
      long[] decided = {0};
      listener.stage("decide", () -> customers == 0 ? 0 : (double) decided[0] / customers, () -> decided[0],
          "decisions");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(kafka.batchDeadlineMinutes());
      while (true) {
        long[] done = {0, 0};
        store.forEachRow("the run's buckets", "SELECT COUNT(*), COALESCE(SUM(customers), 0) FROM batch_buckets"
            + " WHERE run_id = ?", rs -> {
              done[0] = rs.getLong(1);
              done[1] = rs.getLong(2);
            }, runId);
        decided[0] = done[1];
        if (done[0] >= buckets) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("run " + runId + ": not every bucket was decided within "
              + kafka.batchDeadlineMinutes() + " minutes (valuetier.kafka.batch-deadline-minutes): "
              + outstanding(runId, buckets, partitionOf) + "; are workers running (`valuetier worker`)?");
        }
        Thread.sleep(CHECK_EVERY);
      }
      double waited = (System.nanoTime() - t0) / 1e9;
      return new BatchBudgetStage(engine, log, decide.batchSize()).finish(runId, t0, waited);
    } catch (RuntimeException | InterruptedException e) {
      log.finishRun(runId, 0, 0, 0, "{\"aborted\":" + Json.write(String.valueOf(e.getMessage())) + "}");
      BatchBudgetStage.forgetFinished(store);
      throw e;
    }
  }

  /** Puts the run's bucket records on the work topic; returns the partition of each bucket. */
  private Map<Integer, Integer> publish(long runId, int buckets, String ruleSet) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    String storeId = StoreId.of(store).id();
    Map<Integer, Integer> partitionOf = new TreeMap<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      int partitions = producer.partitionsFor(kafka.workTopic()).size();
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      List<IdRange> ranges = IdRange.split(store, buckets);
      for (int b = 0; b < buckets; b++) {
        BucketWork w = new BucketWork(storeId, runId, b, buckets, ranges.get(b), ruleSet);
        partitionOf.put(b, b % partitions);
        sent.add(producer.send(new ProducerRecord<>(kafka.workTopic(), b % partitions, w.key(), w.toJson())));
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
  private String outstanding(long runId, int buckets, Map<Integer, Integer> partitionOf) {
    TreeSet<Integer> missing = new TreeSet<>();
    for (int b = 0; b < buckets; b++) {
      missing.add(b);
    }
    store.forEachRow("the run's buckets", "SELECT bucket FROM batch_buckets WHERE run_id = ?",
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
