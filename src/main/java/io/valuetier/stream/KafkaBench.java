package io.valuetier.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The end-to-end figures of running workers ({@code valuetier kafka bench}): puts {@code events} transaction events of
 * known customers on the transactions topic (as fast as the producer goes, or at a set rate), reads the actions topic
 * read committed until every event has its action, and measures events per second from the first event sent to the
 * last action visible, and the latency of each event: to its action record's timestamp (when the worker produced it)
 * and to the moment it became visible to a read-committed reader (its transaction committed). Actions are matched to
 * their events by the header {@link StreamWorker#EVENT_HEADER}; an event answered twice counts as a duplicate.
 */
public final class KafkaBench {
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private KafkaBench() {}

  /**
   * @param seconds from the first event sent to the last action visible
   * @param sendSeconds the time the events took to send (the rest is the workers catching up)
   * @param toRecordMs latency percentiles (p50, p95, p99, max) from an event's timestamp to its action record's
   * @param toVisibleMs the same to the moment the action was read committed
   */
  public record Result(long events, long answered, long duplicates, double seconds, double eventsPerSecond,
      double sendSeconds, int rate, Map<String, Double> toRecordMs, Map<String, Double> toVisibleMs) {}

  /**
   * @param rate events per second to send at, or 0 for as fast as the producer goes (a backlog: the workers' rate)
   * @param stall give up when no new action arrives for this long
   */
  public static Result run(KafkaSettings kafka, List<String> customers, int events, int rate, long seed,
      Duration stall) throws InterruptedException {
    if (customers.isEmpty()) {
      throw new IllegalStateException("no customers in the store to send events for: run `valuetier run` first");
    }
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaConsumer<String, String> actions = actionsFromNow(kafka)) {
      long start = System.currentTimeMillis();
      long[] sendEnd = new long[1];
      Thread sender = Thread.ofPlatform().name("bench-sender").start(() -> {
        try {
          send(kafka, customers, events, rate, seed, sentAt, failed);
        } catch (RuntimeException | InterruptedException e) {
          failed.compareAndSet(null, e);
        }
        sendEnd[0] = System.currentTimeMillis();
      });
      Set<String> seen = new HashSet<>(events * 2);
      List<long[]> answers = new ArrayList<>(events); // per answered event: its action record ts, when it was visible
      List<String> keys = new ArrayList<>(events);
      long duplicates = 0;
      long lastNew = System.currentTimeMillis();
      long lastVisible = start;
      while (seen.size() < events && System.currentTimeMillis() - lastNew < stall.toMillis() && failed.get() == null) {
        for (ConsumerRecord<String, String> r : actions.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          Header h = r.headers().lastHeader(StreamWorker.EVENT_HEADER);
          if (h == null) {
            continue; // an action of something else
          }
          String key = new String(h.value(), StandardCharsets.UTF_8);
          if (!seen.add(key)) {
            duplicates++;
            continue;
          }
          keys.add(key);
          answers.add(new long[] {r.timestamp(), now});
          lastNew = now;
          lastVisible = now;
        }
      }
      sender.join();
      if (failed.get() != null) {
        throw new IllegalStateException("sending the events failed: " + failed.get(), failed.get());
      }
      double[] toRecord = new double[keys.size()];
      double[] toVisible = new double[keys.size()];
      int n = 0;
      for (int i = 0; i < keys.size(); i++) {
        Long sent = sentAt.get(keys.get(i));
        if (sent != null) { // an action of an event of an earlier bench on the same topics is not counted
          toRecord[n] = answers.get(i)[0] - sent;
          toVisible[n] = answers.get(i)[1] - sent;
          n++;
        }
      }
      double seconds = (lastVisible - start) / 1000.0;
      return new Result(events, n, duplicates, seconds, n / seconds, (sendEnd[0] - start) / 1000.0, rate,
          percentiles(Arrays.copyOf(toRecord, n)), percentiles(Arrays.copyOf(toVisible, n)));
    }
  }

  private static void send(KafkaSettings kafka, List<String> customers, int events, int rate, long seed,
      Map<String, Long> sentAt, AtomicReference<Exception> failed) throws InterruptedException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Random r = new Random(seed);
    String run = Long.toString(System.currentTimeMillis(), 36);
    String day = LocalDateTime.now().minusDays(1).withNano(0).format(DAY_TIME);
    long t0 = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < events && failed.get() == null; i++) {
        if (rate > 0) {
          long due = t0 + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        String customer = customers.get(r.nextInt(customers.size()));
        String event = String.format(Locale.ROOT,
            "{\"order_id\":\"B%s-%d\",\"customer_id\":\"%s\",\"order_date\":\"%s\",\"product_id\":\"SKU%d\","
                + "\"quantity\":%d,\"unit_price\":%.2f,\"currency\":\"GBP\",\"country\":\"United Kingdom\"}",
            run, i, customer, day, r.nextInt(500), 1 + r.nextInt(12), 0.5 + r.nextInt(2000) / 100.0);
        producer.send(new ProducerRecord<>(kafka.transactionsTopic(), customer, event), (m, e) -> {
          if (e != null) {
            failed.compareAndSet(null, e);
          } else {
            sentAt.put(m.topic() + "/" + m.partition() + "/" + m.offset(), m.timestamp());
          }
        });
      }
      producer.flush();
    }
  }

  /** A read-committed reader of every partition of the actions topic, from their current ends. */
  private static KafkaConsumer<String, String> actionsFromNow(KafkaSettings kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo i : c.partitionsFor(kafka.actionsTopic(), Duration.ofSeconds(30))) {
      parts.add(new TopicPartition(i.topic(), i.partition()));
    }
    c.assign(parts);
    c.seekToEnd(parts);
    for (TopicPartition tp : parts) {
      c.position(tp, Duration.ofSeconds(30)); // fixes the start before the first event is sent
    }
    return c;
  }

  private static Map<String, Double> percentiles(double[] ms) {
    Arrays.sort(ms);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int q : new int[] {50, 95, 99}) {
      out.put("p" + q, ms.length == 0 ? Double.NaN : ms[Math.min(ms.length - 1, (int) Math.ceil(q / 100.0 * ms.length) - 1)]);
    }
    out.put("max", ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
    return out;
  }
}
