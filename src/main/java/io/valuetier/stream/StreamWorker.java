package io.valuetier.stream;

import io.valuetier.act.ActionRecord;
import io.valuetier.api.ApiServer;
import io.valuetier.api.SuppliedInput;
import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.SharedBudget;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.records.Rejection;
import io.valuetier.records.Transaction;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the consumer group ({@code valuetier worker}): for each transaction event of the partitions it owns,
 * cleans it with the rules of file ingest, stores it (idempotent by the line's content key), scores the customer with
 * the champion from their stored history, decides with the active rule set and guardrails (the code of
 * {@code POST /api/v1/decisions}: {@link SuppliedInput}, {@link DecisionService}), records the decision with its trace,
 * and produces the action; a rejected event goes to the dead-letter topic with its reason.
 *
 * <p>Exactly once: each poll's events are processed in one Kafka transaction (transactional producer, consumers of
 * read-committed, the consumed offsets committed in the transaction with the group's metadata, so that a worker whose
 * partitions moved is fenced). Store writes are idempotent: the transaction row by its content key, and the decision
 * together with the event's coordinates ({@code stream_events}) in one store transaction, so an event redelivered after
 * a crash produces its stored action again instead of being decided a second time.
 *
 * <p>Contact fatigue is consistent across workers: all events of a customer are on one partition (keyed by customer
 * id), hence decided one after another by one worker, which reads the contacts from the shared store. The offer
 * budget is one row of the store for the whole group ({@link SharedBudget}), drawn in the store transaction that
 * records the decision and its event, so a redone event never spends it twice (see docs/scale-out.md).
 *
 * <p>One job: the consume-decide-produce loop of one group member and its Kafka transactions (batches, part-way
 * commits, redone batches, a replaced producer); the decision of one event is the API's code, the lanes of a batch
 * are {@link PartitionLanes}, the rejected events' rows {@link RejectedEvents}.
 */
public final class StreamWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamWorker.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CONTROL_EVERY = Duration.ofSeconds(1);
  private static final int MAX_FENCED = 5;
  /** The header of an action record that names the event it answers: {@code topic/partition/offset}. */
  public static final String EVENT_HEADER = "valuetier-event";

  private final Settings settings;
  private final KafkaSettings kafka;
  private final Store store;
  private final String name;
  private final RuleSetRegistry rules;
  private final DecisionService decisions;
  private final SuppliedInput input;
  private final TransactionEventIngest ingest;
  private final SharedBudget budget;
  private final RejectedEvents rejected;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Counts counts = new Counts();
  private volatile Set<TopicPartition> owned = Set.of();

  /** What a worker has done so far. */
  public static final class Counts {
    public final AtomicLong events = new AtomicLong();
    public final AtomicLong decided = new AtomicLong();
    public final AtomicLong replayed = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong transactions = new AtomicLong();
    public final AtomicLong aborted = new AtomicLong();
  }

  /**
   * A worker named {@code name} (its transactional id is the prefix of the settings plus the name): starts the rule
   * set, loads the champion, creates the topics when missing.
   *
   * @throws IllegalStateException when there is no valid rule set or no champion model to score with
   */
  public StreamWorker(Settings settings, Store store, String name) {
    this.settings = settings;
    this.kafka = KafkaSettings.from(settings);
    this.store = store;
    this.name = name;
    DecideSettings decide = DecideSettings.from(settings);
    this.rules = RuleSetRegistry.fromSettings(decide, store);
    RuleSetRegistry.RuleSetChange started = rules.start();
    if (rules.current().isEmpty()) {
      throw new IllegalStateException("no valid rule set to decide with: " + started.reason()
          + " (run `valuetier validate-rules` for the messages)");
    }
    this.decisions = ApiServer.onlineDecisions(settings, store, rules, decide.decisionLog(store), 1);
    // one budget for every worker of the group, drawn in each decision's store transaction (null: unlimited)
    BigDecimal total = decide.guardrails().offerBudget();
    this.budget = total == null ? null : SharedBudget.open(store, kafka.budgetId(), total);
    ModelRegistry models = TrainingService.registry(settings, store);
    if (models.champion().isEmpty()) {
      throw new IllegalStateException("no champion model in " + models.dir() + " to score events with: run"
          + " `valuetier run` (or `valuetier train`) first");
    }
    this.input = new SuppliedInput(
        settings, store, new DecisionInputs(store), models, decide.guardrails().contactWindowDays());
    input.reloadChampion();
    IngestStore ingestStore = new IngestStore(store);
    this.ingest = new TransactionEventIngest(ingestStore, this::cleaningRules, TransactionEventIngest.KAFKA_SOURCE);
    this.rejected = new RejectedEvents(ingestStore);
    // a worker may start before its brokers do (a machine's services starting together): it waits for them
    KafkaTopics.ensure(kafka, Duration.ofMinutes(2));
  }

  private CleaningRules cleaningRules() {
    return CleaningRules.from(settings, LocalDateTime.now());
  }

  public Counts counts() {
    return counts;
  }

  /** The partitions this worker owns now. */
  public Set<TopicPartition> owned() {
    return owned;
  }

  public String activeRuleSet() {
    return rules.active().version();
  }

  /** Asks {@link #run} to return after the batch in hand. */
  public void stop() {
    running.set(false);
  }

  /**
   * Consumes, decides and produces until {@link #stop}. A worker whose producer is fenced (its transaction ran past
   * the timeout and the broker aborted it, as on a starved machine or a broker that paused) starts a new producer under
   * the same transactional id and redoes the aborted events from the committed offsets, as does one whose producer
   * can no longer abort (the broker failed its commit); one that loses its producer again and again
   * ({@value #MAX_FENCED} times in a row without a commit in between: another process runs under its name, or the
   * brokers keep failing) stops.
   */
  public void run() {
    try (KafkaConsumer<String, String> consumer = consumer();
        ControlTopic.Follower control = new ControlTopic.Follower(kafka);
        PartitionLanes lanes = new PartitionLanes(kafka.workerThreads(), name)) {
      KafkaProducer<String, String> producer = producer();
      try {
        producer.initTransactions();
        follow(control.poll(POLL));
        subscribe(consumer);
        Instant nextControl = Instant.now().plus(CONTROL_EVERY);
        int fenced = 0;
        while (running.get()) {
          if (Instant.now().isAfter(nextControl)) {
            follow(control.poll(Duration.ZERO));
            nextControl = Instant.now().plus(CONTROL_EVERY);
          }
          ConsumerRecords<String, String> records = consumer.poll(POLL);
          if (records.isEmpty()) {
            continue;
          }
          try {
            processBatch(consumer, producer, records, lanes);
            fenced = 0;
          } catch (ProducerFencedException | InvalidProducerEpochException | ProducerLost e) {
            if (++fenced >= MAX_FENCED) {
              LOG.error("worker {} lost its producer {} times in a row (fenced: another worker runs under its name, or"
                  + " the brokers keep failing); stopping", name, fenced, e);
              return;
            }
            LOG.warn("worker {}: its transaction was fenced or failed ({}); a new producer redoes the batch from the"
                + " committed offsets", name, e.toString());
            counts.aborted.incrementAndGet();
            producer.close(Duration.ZERO);
            pause(Duration.ofSeconds(fenced));
            producer = producer();
            producer.initTransactions();
            rewind(consumer);
          }
        }
      } finally {
        producer.close();
      }
    }
  }

  /** The producer can neither commit nor abort any more: a new one takes over its transactional id. */
  private static final class ProducerLost extends RuntimeException {
    ProducerLost(RuntimeException cause) {
      super("the producer cannot abort its transaction: " + cause, cause);
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void subscribe(KafkaConsumer<String, String> consumer) {
    consumer.subscribe(List.of(kafka.transactionsTopic()), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        owned = Set.copyOf(consumer.assignment());
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        owned = Set.copyOf(consumer.assignment());
        LOG.info("worker {} owns {}", name, owned);
      }
    });
  }

  /** One poll's events in one Kafka transaction; a failed batch is aborted and read again from the committed offsets. */
  private void processBatch(KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer,
      ConsumerRecords<String, String> records, PartitionLanes lanes) {
    producer.beginTransaction();
    try {
      // a batch that runs long is committed part-way, well before the broker's transaction timeout would abort it
      long commitBy = System.nanoTime() + Duration.ofMillis(kafka.transactionTimeoutMs() / 3).toNanos();
      Map<TopicPartition, OffsetAndMetadata> next = lanes.run(records, commitBy, r -> process(r, producer));
      producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
      producer.commitTransaction();
      counts.transactions.incrementAndGet();
      if (!processedAll(records, next)) {
        resumeAfter(consumer, records, next);
      }
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw e; // the producer cannot abort any more: the caller replaces it
    } catch (RuntimeException e) {
      // nothing of this batch is visible to read-committed consumers; go back to the committed offsets and redo
      // it (the store writes done so far are found again by their keys)
      LOG.warn("worker {}: a batch of {} events failed and is redone: {}", name, records.count(), e.toString(), e);
      counts.aborted.incrementAndGet();
      try {
        producer.abortTransaction();
      } catch (KafkaException abortFailed) {
        // the producer is in an error state it cannot leave (e.g. the broker failed the commit): the caller
        // replaces it; the broker aborts the open transaction when the new producer registers the same id
        e.addSuppressed(abortFailed);
        throw new ProducerLost(e);
      }
      rewind(consumer);
    }
  }

  private void follow(Map<String, String> changed) {
    String version = changed.get(ControlTopic.RULE_SET);
    if (version != null) {
      RuleSetRegistry.RuleSetChange c = rules.follow(version);
      if (c.refused()) {
        LOG.error("worker {}: the announced rule set {} is refused, {} stays active: {}", name, version,
            rules.active().version(), c.reason());
      } else {
        LOG.info("worker {} decides with rule set {} ({})", name, version, c.reason());
      }
    }
    if (changed.containsKey(ControlTopic.CHAMPION)) {
      String loaded = input.reloadChampion();
      LOG.info("worker {} scores with champion {} (announced {})", name, loaded, changed.get(ControlTopic.CHAMPION));
    }
  }

  private void process(ConsumerRecord<String, String> r, KafkaProducer<String, String> producer) {
    counts.events.incrementAndGet();
    String eventKey = r.topic() + "/" + r.partition() + "/" + r.offset();
    String done = store.queryString("SELECT action_json FROM stream_events WHERE event_key = ?", eventKey);
    if (done != null) {
      counts.replayed.incrementAndGet();
      String customer = store.queryString("SELECT customer_id FROM stream_events WHERE event_key = ?", eventKey);
      producer.send(action(customer, done, eventKey));
      return;
    }
    TransactionEventIngest.Event e = TransactionEventIngest.read(r.value(), cleaningRules(), store.erasedCustomers());
    if (e.rejected() != null) {
      counts.rejected.incrementAndGet();
      rejected.store(r, e.rejected()); // idempotent: keyed by the event's partition and offset
      producer.send(new ProducerRecord<>(kafka.deadLetterTopic(), r.key(), deadLetter(r, e.rejected())));
      return;
    }
    Transaction t = e.accepted();
    ingest.store(t);
    SuppliedInput.Built in = input.fromStore(t.customerId(), t.timestamp().toLocalDate());
    Decision d = decisions.decideAndRecord(in.input(), budget, (c, decided) -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO stream_events (event_key, customer_id, decision_id,"
          + " action_json, processed_at) VALUES (?,?,?,?,?)")) {
        ps.setString(1, eventKey);
        ps.setString(2, t.customerId());
        ps.setLong(3, decided.decisionId());
        ps.setString(4, Json.write(ActionRecord.of(decided)));
        ps.setTimestamp(5, Timestamp.from(Instant.now()));
        ps.executeUpdate();
      }
    });
    String action = Json.write(ActionRecord.of(d));
    counts.decided.incrementAndGet();
    producer.send(action(t.customerId(), action, eventKey));
  }

  /** An action record, with the coordinates of the event it answers in the header {@value #EVENT_HEADER}. */
  private ProducerRecord<String, String> action(String customer, String action, String eventKey) {
    ProducerRecord<String, String> r = new ProducerRecord<>(kafka.actionsTopic(), customer, action);
    r.headers().add(EVENT_HEADER, eventKey.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /** The dead-letter record of a rejected event: its reason, column, value and message, where it was read, its text. */
  static String deadLetter(ConsumerRecord<String, String> r, Rejection x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", x.reason().name());
    m.put("column", x.column());
    m.put("value", x.value());
    m.put("message", x.message());
    m.put("topic", r.topic());
    m.put("partition", r.partition());
    m.put("offset", r.offset());
    m.put("key", r.key());
    m.put("event", x.originalText());
    return Json.write(m);
  }

  /** False when some records of the poll were left for the next transaction. */
  private static boolean processedAll(
      ConsumerRecords<String, String> records, Map<TopicPartition, OffsetAndMetadata> next) {
    for (TopicPartition tp : records.partitions()) {
      OffsetAndMetadata o = next.get(tp);
      if (o == null || o.offset() <= records.records(tp).getLast().offset()) {
        return false;
      }
    }
    return true;
  }

  /** After a part-way commit: each partition of the poll is read again from its first record not yet processed. */
  private static void resumeAfter(
      KafkaConsumer<String, String> consumer, ConsumerRecords<String, String> records,
      Map<TopicPartition, OffsetAndMetadata> next) {
    for (TopicPartition tp : records.partitions()) {
      OffsetAndMetadata o = next.get(tp);
      consumer.seek(tp, o != null ? o.offset() : records.records(tp).getFirst().offset());
    }
  }

  private static void rewind(KafkaConsumer<String, String> consumer) {
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata o = committed.get(tp);
      if (o == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, o.offset());
      }
    }
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = kafka.consumerProperties(kafka.group(), "valuetier-" + name, kafka.maxPollRecords());
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "valuetier-" + name);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.transactionalIdPrefix() + "-" + name);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, kafka.transactionTimeoutMs());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @Override
  public void close() {
    stop();
  }
}
