package io.valuetier.stream;

import io.valuetier.config.Settings;
import io.valuetier.decide.BucketDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.model.BucketScorer;
import io.valuetier.model.picks.PicksService;
import io.valuetier.store.Store;
import io.valuetier.store.StoreId;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker's part in the distributed batch ({@code valuetier run --workers}): a member of the batch group
 * ({@link KafkaSettings#batchGroup}) on the work topic, it takes one bucket record at a time from the partitions it
 * owns, scores the bucket ({@link BucketScorer#score}: one store transaction, ending with the bucket's
 * {@code batch_score_buckets} row) or ranks and decides it ({@link BucketScorer#rank}, then {@link BucketDecider}:
 * one store transaction, ending with the bucket's {@code batch_buckets} row), and then commits the record's offset.
 * A worker killed mid-bucket stored nothing of it and committed nothing: its partitions move to another worker, which
 * does the bucket from the start. A bucket
 * stored but whose offset was not committed is found done by its next owner and skipped, and of two workers that both
 * hold a bucket for a moment (during a rebalance) only one stores it: the primary keys refuse the second copy whole.
 */
public final class BatchWorker implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration WARM_UP_EVERY = Duration.ofSeconds(5);
  /** A bucket may take minutes on a loaded machine; the worker does not poll meanwhile. */
  private static final int MAX_POLL_INTERVAL_MS = 30 * 60_000;

  private final Settings settings;
  private final KafkaSettings kafka;
  private final DecideSettings decide;
  private final Store store;
  private final String name;
  private final String storeId;
  private final Consumer<String> out;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong buckets = new AtomicLong();
  private final AtomicLong customers = new AtomicLong();
  private final AtomicLong scored = new AtomicLong();
  private final BucketScorer scorer;
  private RuleSetRegistry rules;
  private long nextWarmUp;
  private long engineRun = -1;
  private DecisionEngine engine;

  /** A worker named {@code name} that reports each bucket to {@code out}. */
  public BatchWorker(Settings settings, Store store, String name, Consumer<String> out) {
    this.settings = settings;
    this.kafka = KafkaSettings.from(settings);
    this.decide = DecideSettings.from(settings);
    this.store = store;
    this.name = name;
    this.storeId = StoreId.of(store).id();
    this.out = out;
    this.scorer = new BucketScorer(settings, store);
  }

  /** Buckets this worker has stored. */
  public long buckets() {
    return buckets.get();
  }

  /** Buckets this worker has scored. */
  public long scored() {
    return scored.get();
  }

  /** Customers of the buckets this worker has stored. */
  public long customers() {
    return customers.get();
  }

  /** Asks {@link #run} to return after the bucket in hand. */
  public void stop() {
    running.set(false);
  }

  /** Takes and decides buckets until {@link #stop}. */
  public void run() {
    KafkaTopics.ensure(kafka, Duration.ofMinutes(2));
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.subscribe(List.of(kafka.workTopic()));
      int failures = 0;
      while (running.get()) {
        var records = consumer.poll(POLL);
        if (records.isEmpty()) {
          warmUp();
        }
        for (ConsumerRecord<String, String> r : records) { // one record per poll
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (handle(r)) {
            failures = 0;
            commit(consumer, tp, r.offset() + 1);
          } else {
            // the store failed: take the bucket again after a pause (the transaction left nothing of it)
            consumer.seek(tp, r.offset());
            pause(Duration.ofSeconds(Math.min(30, ++failures)));
          }
        }
      }
    }
  }

  /** Decides the bucket of {@code r} unless it is not to be decided here; false when it must be taken again. */
  private boolean handle(ConsumerRecord<String, String> r) {
    BucketWork w;
    try {
      w = BucketWork.parse(r.value());
    } catch (IllegalArgumentException e) {
      out.accept("batch worker " + name + ": skips offset " + r.offset() + " of " + r.topic() + ": " + e.getMessage());
      return true;
    }
    if (!w.store().equals(storeId)) {
      out.accept("batch worker " + name + ": skips " + w + ": for the store " + w.store() + ", not this one");
      return true;
    }
    if (store.queryLong("SELECT COUNT(*) FROM decision_runs WHERE run_id = ? AND finished_at IS NULL", w.run()) == 0) {
      out.accept("batch worker " + name + ": skips " + w + ": the run is finished or unknown");
      return true;
    }
    try {
      if (w.scores()) {
        return score(w);
      }
      DecisionEngine e = engineFor(w);
      if (e == null) {
        out.accept("batch worker " + name + ": ERROR cannot decide " + w + " with rule sets " + w.ruleSet()
            + ": this worker's rule set is " + rules.active().version() + " and the version is not in the store's"
            + " history; left for the coordinator's deadline");
        return true;
      }
      out.accept("batch worker " + name + ": deciding " + w);
      if (!BucketDecider.done(store, w.run(), w.bucket())) {
        scorer.rank(w.run(), w.bucket());
      }
      BucketDecider.Done d = new BucketDecider(e, decide.decisionLog(store), decide.batchSize())
          .decide(w.run(), w.bucket(), w.buckets(), w.range(), name);
      if (d.already()) {
        out.accept("batch worker " + name + ": " + w + " was stored already; skipped");
      } else {
        buckets.incrementAndGet();
        customers.addAndGet(d.customers());
        out.accept(String.format(Locale.ROOT, "batch worker %s: stored %s: %d customers, %d costly offers held back"
            + " for the budget stage; %.1f s (reading %.1f s)", name, w, d.customers(), d.costly(), d.seconds(),
            d.readSeconds()));
      }
      return true;
    } catch (RuntimeException e) {
      boolean stored = w.scores() ? BucketScorer.done(store, w.run(), w.bucket())
          : BucketDecider.done(store, w.run(), w.bucket());
      if (stored) {
        out.accept("batch worker " + name + ": " + w + " was stored by another worker meanwhile (" + e.getMessage()
            + ")");
        return true;
      }
      out.accept("batch worker " + name + ": " + w + " failed, to be taken again: " + e);
      return false;
    }
  }

  /** Scores the bucket of {@code w} (its log read, scored and stored in one store transaction). */
  private boolean score(BucketWork w) {
    out.accept("batch worker " + name + ": scoring " + w);
    BucketScorer.Done d = scorer.score(w.scoring(), w.bucket(), w.range(), name);
    if (d.already()) {
      out.accept("batch worker " + name + ": " + w + " was scored already; skipped");
    } else {
      scored.incrementAndGet();
      out.accept(String.format(Locale.ROOT, "batch worker %s: scored %s: %d customers, %d with a purchase; %.1f s"
          + " (reading %.1f s)", name, w, d.customers(), d.withHistory(), d.seconds(), d.readSeconds()));
    }
    return true;
  }

  /**
   * While idle: starts the rule sets before the first bucket arrives (compiling them takes seconds that the first
   * bucket would otherwise wait), once the store has an active version; on a fresh store the first run records it,
   * and workers started together do not race to.
   */
  private void warmUp() {
    if (rules != null || System.nanoTime() < nextWarmUp) {
      return;
    }
    nextWarmUp = System.nanoTime() + WARM_UP_EVERY.toNanos();
    try {
      RuleSetRegistry r = RuleSetRegistry.fromSettings(decide, store);
      if (r.history().active().isPresent()) {
        r.start();
        rules = r;
        out.accept("batch worker " + name + ": rule set " + r.active().version() + " ready for buckets");
      }
    } catch (RuntimeException e) {
      out.accept("batch worker " + name + ": rule sets not started yet (" + e.getMessage() + "); tried again");
    }
  }

  /** The engine of the run's rule sets (the ones on disk, or the version the run names from the store's history). */
  private DecisionEngine engineFor(BucketWork w) {
    if (engine != null && engineRun == w.run()) {
      return engine;
    }
    if (rules == null) {
      rules = RuleSetRegistry.fromSettings(decide, store);
      rules.start();
    }
    DecisionEngine e = DecisionEngine.of(rules, decide.guardrails(), decide.controlGroups());
    if (!e.ruleSetKey().equals(w.ruleSet())) {
      String champion = w.ruleSet().split("\\+", 2)[0];
      if (!rules.active().version().equals(champion)) {
        rules.follow(champion);
      }
      e = DecisionEngine.of(rules, decide.guardrails(), decide.controlGroups());
      if (!e.ruleSetKey().equals(w.ruleSet())) {
        return null;
      }
    }
    PicksService picks = new PicksService(settings, store);
    if (picks.settings().enabled()) {
      e.withPicks(ids -> PicksService.stored(store, ids), picks.settings().maxProducts());
    }
    engine = e;
    engineRun = w.run();
    return e;
  }

  private void commit(KafkaConsumer<String, String> consumer, TopicPartition tp, long next) {
    try {
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the partition moved while the bucket was decided: its new owner finds the bucket stored and skips it
      out.accept("batch worker " + name + ": offset " + next + " of " + tp + " not committed (" + e.getClass()
          .getSimpleName() + "): the partition's new owner finds the bucket stored");
    } catch (KafkaException e) {
      out.accept("batch worker " + name + ": offset " + next + " of " + tp + " not committed: " + e.getMessage());
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = kafka.consumerProperties(kafka.batchGroup(), "valuetier-batch-" + name, 1);
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  @Override
  public void close() {
    stop();
  }
}
