package io.valuetier.ingest;

import io.valuetier.records.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A slice of a source on its way through the route: first the raw records, then (after cleaning) the accepted rows
 * and the rejections. Its text form, the original lines, is what a dead-letter destination receives.
 *
 * @param <T> the type of accepted rows
 */
public final class Chunk<T> {
  private final List<RawRecord> raw;
  private final List<T> accepted = new ArrayList<>();
  private final List<Rejection> rejected = new ArrayList<>();

  Chunk(List<RawRecord> raw) {
    this.raw = raw;
  }

  public List<RawRecord> raw() {
    return raw;
  }

  public List<T> accepted() {
    return accepted;
  }

  public List<Rejection> rejected() {
    return rejected;
  }

  /** Lines {@code first..last} of the source. */
  public String range() {
    return raw.isEmpty() ? "empty" : "lines " + raw.getFirst().line() + ".." + raw.getLast().line();
  }

  /** The original lines, for a dead-letter file. */
  @Override
  public String toString() {
    return raw.stream().map(RawRecord::text).collect(Collectors.joining("\n", "", "\n"));
  }
}
