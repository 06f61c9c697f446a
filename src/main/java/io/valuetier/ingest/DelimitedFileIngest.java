package io.valuetier.ingest;

import io.valuetier.clean.Rejection;
import io.valuetier.store.IngestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;

/**
 * The steps of a file ingest route, called by the Camel routes in {@code routes/}: {@link #begin} opens the file and
 * the run, {@link #chunks} streams it in slices, {@link #clean} applies the cleaning rules to a slice, {@link #store}
 * writes it, {@link #finish} closes the run. Subclasses say how a record is cleaned.
 *
 * @param <T> the type of accepted rows
 */
public abstract class DelimitedFileIngest<T> {
  /** Header with the path of the file to ingest (else the file component's {@code CamelFileAbsolutePath}). */
  public static final String HEADER_FILE = "valuetierFile";

  /** Header with the layout of the file (a {@link TransactionFormat} id). */
  public static final String HEADER_FORMAT = "valuetierFormat";

  private static final String READER = "valuetierReader";

  protected final IngestStore store;
  private final int chunkSize;
  private final int maxRecordLines;

  private volatile java.util.function.Consumer<IngestRun> onBegin = r -> {};

  protected DelimitedFileIngest(IngestStore store, int chunkSize, int maxRecordLines) {
    this.store = store;
    this.chunkSize = chunkSize;
    this.maxRecordLines = maxRecordLines;
  }

  /** The kind stored with the run and its rejections: {@code transactions} or {@code customers}. */
  protected abstract String kind();

  /** Binds the layout to the file's first record; returns whether that record was a header. */
  protected abstract boolean bind(IngestRun run, String format, RawRecord first);

  /** Column count a record spanning several lines must reach to be accepted (-1 for any). */
  protected abstract int expectedColumns(String format);

  protected abstract DelimitedReader.Mode mode(String format);

  /** Cleans one well-formed record into the chunk, counting it in the run. */
  protected abstract void cleanRecord(IngestRun run, RawRecord r, Chunk<T> chunk);

  /** Writes the accepted rows of a chunk. */
  protected abstract void storeAccepted(IngestRun run, List<T> rows);

  /** Work at the end of a completed run (such as adding the customers seen). */
  protected void complete(IngestRun run) {}

  /** Tells {@code listener} of each run as it opens (for progress display). */
  public void onBegin(java.util.function.Consumer<IngestRun> listener) {
    this.onBegin = listener;
  }

  /** Opens the file and the run; the run becomes the body. */
  public IngestRun begin(Exchange exchange) {
    String name = exchange.getMessage().getHeader(HEADER_FILE, String.class);
    if (name == null) {
      name = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
    }
    if (name == null) {
      throw new IngestException("no file to ingest: set the header " + HEADER_FILE);
    }
    String format = exchange.getMessage().getHeader(HEADER_FORMAT, String.class);
    Path path = Path.of(name);
    SourceFile file = SourceFile.of(path);
    DelimitedReader reader =
        new DelimitedReader(file.open(), mode(format), expectedColumns(format), maxRecordLines);
    String source = path.toAbsolutePath().toString();
    int sourceId = store.sourceId(file.fingerprint(), kind(), source);
    IngestRun run = new IngestRun(kind(), source, file.fingerprint(), sourceId, format, file);
    RawRecord first = reader.next();
    if (first == null) {
      reader.close();
      throw new IngestException(path + " is empty");
    }
    if (first.problem() != null) {
      reader.close();
      throw new IngestException(
          path + " line 1: cannot read the header: " + first.problemMessage());
    }
    boolean header = bind(run, format, first);
    store.startRun(run.runId(), kind(), run.source(), run.sourceId(), format);
    exchange.setProperty(IngestRun.PROPERTY, run);
    onBegin.accept(run);
    exchange.setProperty(READER, new PendingReader(reader, header ? null : first));
    return run;
  }

  /** The file in slices of {@code chunkSize} records, read lazily as the splitter asks. */
  public Iterator<Chunk<T>> chunks(Exchange exchange) {
    PendingReader pr = exchange.getProperty(READER, PendingReader.class);
    return new Iterator<>() {
      private Chunk<T> next = read();

      private Chunk<T> read() {
        List<RawRecord> list = new ArrayList<>(chunkSize);
        if (pr.pending != null) {
          list.add(pr.pending);
          pr.pending = null;
        }
        RawRecord r;
        while (list.size() < chunkSize && (r = pr.reader.next()) != null) {
          list.add(r);
        }
        if (list.isEmpty()) {
          pr.reader.close();
          return null;
        }
        return new Chunk<>(list);
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Chunk<T> next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Chunk<T> c = next;
        next = read();
        return c;
      }
    };
  }

  /**
   * The file in cleaned slices: reading and cleaning happen here, in file order (duplicate detection depends on it),
   * so that the route can store slices on another thread while the next one is read.
   */
  public Iterator<Chunk<T>> cleanedChunks(Exchange exchange) {
    Iterator<Chunk<T>> raw = chunks(exchange);
    Iterator<Chunk<T>> cleaned =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return raw.hasNext();
          }

          @Override
          public Chunk<T> next() {
            return clean(raw.next(), exchange);
          }
        };
    ReadAhead<Chunk<T>> ahead = new ReadAhead<>(cleaned, 2, "ingest-reader");
    exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
      @Override
      public void onDone(Exchange e) {
        ahead.close();
      }
    });
    return ahead;
  }

  /** Applies the cleaning rules to a slice. */
  public Chunk<T> clean(Chunk<T> chunk, Exchange exchange) {
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    for (RawRecord r : chunk.raw()) {
      if (r.problem() != null) {
        String col = r.problemColumn() >= 0 ? "column " + (r.problemColumn() + 1) : null;
        chunk.rejected().add(new Rejection(r.line(), r.problem(), col, null, r.problemMessage(), r.text()));
        run.count(r.problem());
      } else {
        cleanRecord(run, r, chunk);
      }
    }
    return chunk;
  }

  /** Writes a cleaned slice: accepted rows and rejections. */
  public void store(Chunk<T> chunk, Exchange exchange) {
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    storeAccepted(run, chunk.accepted());
    store.writeRejections(chunk.rejected(), run.sourceId());
  }

  /** Closes the run and returns its accounting. */
  public IngestReport finish(Exchange exchange) {
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    String status = run.failure() == null ? "COMPLETED" : "FAILED";
    if (run.failure() == null) {
      complete(run);
    }
    return close(run, status, store);
  }

  /** Records the end of a run in the log and returns its accounting. */
  public static IngestReport close(IngestRun run, String status, IngestStore store) {
    IngestReport r = run.report(status, store.totals());
    store.finishRun(
        run.runId(), run.sourceId(), status, r.read(), r.accepted(), r.rejected(), r.returns(), r.outliers(),
        r.customers(), r.firstDate(), r.lastDate(), r.rowsPerSecond(), io.valuetier.util.Json.write(r.rejectedByReason()),
        r.failure());
    return r;
  }

  /** The reader and, for files without a header, the first record still to be delivered. */
  static final class PendingReader {
    final DelimitedReader reader;
    RawRecord pending;

    PendingReader(DelimitedReader reader, RawRecord pending) {
      this.reader = reader;
      this.pending = pending;
    }
  }
}
