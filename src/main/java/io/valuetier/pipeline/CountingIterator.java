package io.valuetier.pipeline;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/** An iterator that counts what it has handed out, for the progress of a stage that consumes it on another thread. */
final class CountingIterator<T> implements Iterator<T> {
  private final Iterator<T> source;
  private final AtomicLong count = new AtomicLong();

  CountingIterator(Iterator<T> source) {
    this.source = source;
  }

  @Override
  public boolean hasNext() {
    return source.hasNext();
  }

  @Override
  public T next() {
    T t = source.next();
    count.incrementAndGet();
    return t;
  }

  /** Items handed out so far. */
  long count() {
    return count.get();
  }
}
