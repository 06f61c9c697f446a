package io.valuetier.ingest;

import io.valuetier.clean.LineCleaner;
import io.valuetier.store.IngestStore;
import java.time.LocalDateTime;

/**
 * The skeleton of the routes whose files are plain CSV with a named header (customer facts, outcomes): any column
 * count, the header binds one {@link LineCleaner} for the file, and each line is accepted or rejected by it.
 */
abstract class HeaderCsvIngest<T> extends RecordIngest<T> {
  private static final String CLEANER = "cleaner";
  private final String kind;
  private final LineCleaner.ForHeader<T> cleaners;

  /**
   * @param kind what the files hold, as the ingest runs name it ("customers", "outcomes")
   * @param cleaners the cleaner of a file, made from its header
   */
  protected HeaderCsvIngest(String kind, LineCleaner.ForHeader<T> cleaners, IngestStore store, int chunkSize,
      int maxRecordLines, int maxRecordBytes) {
    super(store, chunkSize, maxRecordLines, maxRecordBytes);
    this.kind = kind;
    this.cleaners = cleaners;
  }

  @Override
  protected final String kind() {
    return kind;
  }

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
    run.attach(CLEANER, cleaners.bind(run.source(), first.fields(), LocalDateTime.now().plusDays(1)));
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected final void cleanRecord(IngestRun run, RawRecord r, Chunk<T> chunk) {
    LineCleaner<T> cleaner = run.attached(CLEANER, LineCleaner.class);
    LineCleaner.Result<T> res = cleaner.clean(r.line(), r.fields(), r::text);
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
