package io.valuetier.decide.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for concurrent callers that each write one item: the items of callers who arrive while a write is in
 * progress are written together, in one transaction, by the next write. Leader/follower, with no thread of its own: a
 * caller that finds no write in progress becomes the leader, takes up to {@code maxBatch} waiting items (its own among
 * them when it is first in line), writes them with the batch-write function outside the lock, marks them done and
 * wakes the others; every other caller waits until its item is done or it may lead the next write.
 *
 * <p><b>Durability.</b> {@link #commit} returns only after a call of the batch-write function that contained the item
 * has returned normally; the function is expected to return only once its transaction is committed (as the decision
 * store's writes do). So a caller that answers after {@code commit} answers only what is stored. When the function
 * throws, every caller of that batch gets that same exception and nothing of the batch may be taken as written; the
 * next batch is written afresh, so a passing failure (a lost connection) fails only the requests it touched.
 *
 * <p><b>No delay when idle.</b> Nothing waits for a batch to fill: a caller who finds no write in progress writes at
 * once, alone when it is alone. Batches form only from callers who arrive while a write is running (they would have
 * had to wait for the database anyway), so the batch size follows the load: 1 when quiet, up to {@code maxBatch}
 * under pressure, which turns many commits (and H2's page rewrites per commit) into one.
 *
 * <p><b>Bounded memory.</b> Each caller puts one item in the queue and blocks until that item is written or failed, so
 * the queue never holds more items than there are blocked caller threads (bounded by the server's worker pool); a
 * write holds at most {@code maxBatch} items.
 *
 * <p>Waiting ignores interrupts (and keeps the interrupt flag set): an item already queued may be written by another
 * thread at any moment, so its caller must learn the outcome rather than leave with an unknown one. No caller waits
 * forever as long as the batch-write function returns or throws.
 *
 * @param <T> the item, e.g. one decision
 */
public final class GroupCommit<T> {
  private final Consumer<List<T>> write;
  private final int maxBatch;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
  private boolean writing;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();

  /** One caller's item and, once its batch is done, the outcome (guarded by the lock). */
  private static final class Pending<T> {
    final T item;
    boolean done;
    Throwable failure;

    Pending(T item) {
      this.item = item;
    }
  }

  /**
   * @param write writes a batch in one transaction and returns once it is committed; throws when it is not
   * @param maxBatch the most items in one write (at least 1)
   */
  public GroupCommit(Consumer<List<T>> write, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least 1 item, not " + maxBatch);
    }
    this.write = write;
    this.maxBatch = maxBatch;
  }

  /**
   * Writes {@code item}, together with the items of callers who arrive meanwhile, and returns once it is committed.
   *
   * @throws RuntimeException the exception of the batch write that held the item (the same instance for every caller
   *     of that batch); an {@link Error} is passed on likewise, a checked exception thrown sneakily is wrapped once in
   *     an {@link IllegalStateException}
   */
  public void commit(T item) {
    Pending<T> mine = new Pending<>(item);
    lock.lock();
    try {
      queue.addLast(mine);
      while (!mine.done) {
        if (writing) {
          changed.awaitUninterruptibly();
        } else {
          lead();
        }
      }
    } finally {
      lock.unlock();
    }
    switch (mine.failure) {
      case null -> {}
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException("unreachable: the leader wraps checked exceptions", mine.failure);
    }
  }

  /** Writes the next batch from the head of the queue; called and returns with the lock held. */
  private void lead() {
    writing = true;
    List<Pending<T>> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
    while (batch.size() < maxBatch && !queue.isEmpty()) {
      batch.add(queue.pollFirst());
    }
    List<T> rows = new ArrayList<>(batch.size());
    for (Pending<T> p : batch) {
      rows.add(p.item);
    }
    Throwable failure = null;
    lock.unlock();
    try {
      write.accept(rows);
    } catch (RuntimeException | Error e) {
      failure = e;
    } catch (Throwable t) {
      // a checked exception thrown sneakily: wrapped once, so every caller still gets the same instance
      failure = new IllegalStateException("the batch write failed: " + t, t);
    } finally {
      lock.lock();
    }
    writing = false;
    batches.incrementAndGet();
    items.addAndGet(rows.size());
    largest.accumulateAndGet(rows.size(), Math::max);
    for (Pending<T> p : batch) {
      p.failure = failure;
      p.done = true;
    }
    changed.signalAll();
  }

  /** The batch writes done so far (each one transaction, committed or failed). */
  public long batches() {
    return batches.get();
  }

  /** The items written or failed so far. */
  public long items() {
    return items.get();
  }

  /** The most items written in one batch so far. */
  public long largestBatch() {
    return largest.get();
  }

  /** The items waiting for a write to take them (not those of the write in progress). */
  public int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }
}
