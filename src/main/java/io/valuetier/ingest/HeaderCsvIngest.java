package io.valuetier.ingest;

import io.valuetier.records.Rejection;
import io.valuetier.store.IngestStore;
import java.time.LocalDateTime;

/**
 * The skeleton of the routes whose files are plain CSV with a named header (customer facts, outcomes): any column
 * count, the header binds one line checker for the file, and each line is accepted or rejected by it.
 */
abstract class HeaderCsvIngest<T> extends RecordIngest<T> {
  private static final String CHECKER = "checker";

  /** A line's result: the accepted row, or why it was rejected. */
  protected record Checked<T>(T accepted, Rejection rejected) {}

  /** Checks the lines of one file. */
  @FunctionalInterface
  protected interface LineChecker<T> {
    Checked<T> check(RawRecord r);
  }

  protected HeaderCsvIngest(IngestStore store, int chunkSize, int maxRecordLines,
      int maxRecordBytes) {
    super(store, chunkSize, maxRecordLines, maxRecordBytes);
  }

  /**
   * The checker of a file with this header.
   *
   * @param latest the latest time a line may carry
   */
  protected abstract LineChecker<T> checker(String source, String[] header, LocalDateTime latest);

  /** Called for each accepted row, after it is counted. */
  protected void accepted(IngestRun run, T row) {}

  @Override
  protected final DelimitedReader.Mode mode(String format) {
    return DelimitedReader.Mode.COMMA;
  }

  @Override
  protected final int expectedColumns(String format) {
    return -1;
  }

  @Override
  protected final boolean bind(IngestRun run, String format, RawRecord first) {
    run.attach(CHECKER, checker(run.source(), first.fields(), LocalDateTime.now().plusDays(1)));
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected final void cleanRecord(IngestRun run, RawRecord r, Chunk<T> chunk) {
    Checked<T> res = ((LineChecker<T>) run.attached(CHECKER, LineChecker.class)).check(r);
    if (res.rejected() != null) {
      chunk.rejected().add(res.rejected());
      run.count(res.rejected().reason());
    } else {
      chunk.accepted().add(res.accepted());
      run.countAccepted(false, false);
      accepted(run, res.accepted());
    }
  }
}
