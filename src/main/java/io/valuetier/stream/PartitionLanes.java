package io.valuetier.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Processes one poll's events on a few threads, a partition per lane at a time: the events of a partition (hence of a
 * customer, the topics being keyed by customer) are still processed one after another and in order, while the
 * partitions of the poll go side by side. A worker's time per event is mostly waiting for the store (reads, and a
 * commit that waits for the disk), so lanes let one worker use its cores and its connection pool instead of one
 * round trip at a time. Every lane stops at the time given (the batch is then committed part-way) or when another
 * lane failed.
 */
final class PartitionLanes implements AutoCloseable {
  /** The work on one event. */
  @FunctionalInterface
  interface RecordWork {
    void process(ConsumerRecord<String, String> r);
  }

  private final int lanes;
  private final ExecutorService pool;

  PartitionLanes(int lanes, String name) {
    this.lanes = lanes;
    this.pool = lanes <= 1 ? null : Executors.newFixedThreadPool(lanes, r -> {
      Thread t = new Thread(r, "worker-" + name + "-lane");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Processes {@code records} until done or until {@code commitByNanos} ({@link System#nanoTime()}) has passed (each
   * lane processes at least one event); returns the next offset of each partition processed. The first failure of a
   * lane is thrown once every lane has stopped.
   */
  Map<TopicPartition, OffsetAndMetadata> run(ConsumerRecords<String, String> records, long commitByNanos,
      RecordWork work) {
    List<TopicPartition> partitions = new ArrayList<>(records.partitions());
    if (pool == null || partitions.size() == 1) {
      return lane(records, partitions, commitByNanos, work, new AtomicBoolean());
    }
    int n = Math.min(lanes, partitions.size());
    List<List<TopicPartition>> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      groups.get(i % n).add(partitions.get(i));
    }
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<Map<TopicPartition, OffsetAndMetadata>>> running = new ArrayList<>();
    for (List<TopicPartition> g : groups) {
      running.add(pool.submit(() -> lane(records, g, commitByNanos, work, failed)));
    }
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    RuntimeException first = null;
    for (Future<Map<TopicPartition, OffsetAndMetadata>> f : running) {
      try {
        next.putAll(f.get());
      } catch (ExecutionException e) {
        RuntimeException x = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        if (first == null) {
          first = x;
        } else {
          first.addSuppressed(x);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the lanes processed a batch", e);
      }
    }
    if (first != null) {
      throw first;
    }
    return next;
  }

  private static Map<TopicPartition, OffsetAndMetadata> lane(ConsumerRecords<String, String> records,
      List<TopicPartition> partitions, long commitByNanos, RecordWork work, AtomicBoolean failed) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    try {
      for (TopicPartition tp : partitions) {
        for (ConsumerRecord<String, String> r : records.records(tp)) {
          if (failed.get() || (!next.isEmpty() && System.nanoTime() > commitByNanos)) {
            return next;
          }
          work.process(r);
          next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
      }
      return next;
    } catch (RuntimeException e) {
      failed.set(true);
      throw e;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
