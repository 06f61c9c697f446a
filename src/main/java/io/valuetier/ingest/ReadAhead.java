package io.valuetier.ingest;

import io.valuetier.records.IngestException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an iterator on a thread of its own, a few elements ahead of its consumer: reading and cleaning one slice
 * overlaps with storing the previous one, while the short queue keeps memory bounded. Elements arrive in order; an
 * exception on the reading side is rethrown to the consumer; {@link #close()} stops the reader early.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private Object next;

  private record Failure(RuntimeException error) {}

  ReadAhead(Iterator<T> source, int depth, String name) {
    this.queue = new ArrayBlockingQueue<>(depth);
    this.thread =
        Thread.ofPlatform()
            .name(name)
            .daemon()
            .start(
                () -> {
                  try {
                    while (source.hasNext()) {
                      queue.put(source.next());
                    }
                    queue.put(END);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    try {
                      queue.put(new Failure(e));
                    } catch (InterruptedException ie) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
  }

  private Object peek() {
    if (next == null) {
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IngestException("interrupted while reading ahead", e);
      }
    }
    if (next instanceof Failure f) {
      next = END;
      throw f.error;
    }
    return next;
  }

  @Override
  public boolean hasNext() {
    return peek() != END;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    Object o = peek();
    if (o == END) {
      throw new NoSuchElementException();
    }
    next = null;
    return (T) o;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
