package io.valuetier.clean;

import io.valuetier.records.Rejection;
import java.time.LocalDateTime;
import java.util.function.Supplier;

/**
 * The checks of one line of a CSV file with a named header: the line becomes a row or a rejection with its reason.
 *
 * @param <T> the row a valid line becomes
 */
@FunctionalInterface
public interface LineCleaner<T> {

  /** Outcome of one line: exactly one of the two is set. */
  record Result<T>(T accepted, Rejection rejected) {}

  /**
   * Checks one line.
   *
   * @param line the line number in the file (1 = the header)
   * @param fields the line's fields
   * @param text the line as read, for the rejection (only asked for when the line is rejected)
   */
  Result<T> clean(long line, String[] fields, Supplier<String> text);

  /** Makes the cleaner of one file from its header. */
  @FunctionalInterface
  interface ForHeader<T> {
    /**
     * @param source the file, for messages
     * @param header the header's column names
     * @param latest the latest time a line may carry
     */
    LineCleaner<T> bind(String source, String[] header, LocalDateTime latest);
  }
}
