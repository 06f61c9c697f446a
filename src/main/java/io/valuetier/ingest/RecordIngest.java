package io.valuetier.ingest;

import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.store.ErasedCustomers;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of an ingest route, called by the Camel routes in {@code routes/}: {@link #begin} opens a file (or
 * {@link #beginRows} takes the rows of a JDBC query) and the run, {@link #cleanedChunks} streams it in cleaned
 * slices, {@link #store} writes a slice, {@link #finish} closes the run. Subclasses say how a record is cleaned.
 *
 * @param <T> the type of accepted rows
 */
public abstract class RecordIngest<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RecordIngest.class);

  /** Header with the path of the file to ingest (else the file component's {@code CamelFileAbsolutePath}). */
  public static final String HEADER_FILE = "valuetierFile";

  /** Header with the layout of the file (a {@link TransactionFormat} id). */
  public static final String HEADER_FORMAT = "valuetierFormat";

  private static final String READER = "valuetierReader";

  protected final IngestStore store;
  private final int chunkSize;
  private final int maxRecordLines;
  private final int maxRecordBytes;

  private volatile Consumer<IngestRun> onBegin = r -> {};

  /** Bytes of records in one slice: with records of up to a megabyte, a slice's size in records alone is no bound. */
  static final long CHUNK_BYTES = 16L << 20;

  protected RecordIngest(IngestStore store, int chunkSize, int maxRecordLines, int maxRecordBytes) {
    this.store = store;
    this.chunkSize = chunkSize;
    this.maxRecordLines = maxRecordLines;
    this.maxRecordBytes = maxRecordBytes;
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

  /** The customer an accepted row is about (null when it names none): rows of an erased customer are refused. */
  protected abstract String customerOf(T row);

  /** Work at the end of a completed run (such as adding the customers seen). */
  protected void complete(IngestRun run) {}

  /** Tells {@code listener} of each run as it opens (for progress display). */
  public void onBegin(Consumer<IngestRun> listener) {
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
        new DelimitedReader(file.open(), mode(format), expectedColumns(format), maxRecordLines, maxRecordBytes);
    String source = path.toAbsolutePath().toString();
    int sourceId = store.runs().sourceId(file.fingerprint(), kind(), source);
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
    store.store().erasedCustomers().refresh();
    store.runs().startRun(run.runId(), kind(), run.source(), run.sourceId(), format);
    exchange.setProperty(IngestRun.PROPERTY, run);
    onBegin.accept(run);
    exchange.setProperty(READER, new PendingReader(reader::next, reader::close, header ? null : first));
    return run;
  }

  /**
   * Opens a run over rows from a JDBC query (the body: an iterator of column-name to value maps, as camel-sql's
   * {@code outputType=StreamList} gives). The column names act as the header; a column {@code line_id}, if present,
   * numbers the rows (use the source table's key, so that a rejection keeps its identity between runs), otherwise
   * rows are numbered in query order.
   */
  public IngestRun beginRows(Exchange exchange) {
    @SuppressWarnings("unchecked")
    Iterator<Map<String, Object>> rows = exchange.getMessage().getBody(Iterator.class);
    if (rows == null) {
      throw new IngestException("the source query gave no rows iterator (use outputType=StreamList)");
    }
    String source = Store.redact(exchange.getMessage().getHeader(HEADER_FILE, String.class));
    String format = exchange.getMessage().getHeader(HEADER_FORMAT, String.class);
    String fingerprint = sha256(source);
    int sourceId = store.runs().sourceId(fingerprint, kind(), source);
    IngestRun run = new IngestRun(kind(), source, fingerprint, sourceId, format, null);
    if (!rows.hasNext()) {
      exchange.setProperty(IngestRun.PROPERTY, run);
      exchange.setProperty(READER, new PendingReader(() -> null, () -> {}, null));
      store.runs().startRun(run.runId(), kind(), source, sourceId, format);
      return run;
    }
    Map<String, Object> firstRow = rows.next();
    JdbcRows toRecord = new JdbcRows(firstRow.keySet());
    bind(run, format, toRecord.header());
    store.store().erasedCustomers().refresh();
    store.runs().startRun(run.runId(), kind(), source, sourceId, format);
    exchange.setProperty(IngestRun.PROPERTY, run);
    onBegin.accept(run);
    RawRecord first = toRecord.apply(firstRow);
    exchange.setProperty(
        READER,
        new PendingReader(
            () -> rows.hasNext() ? toRecord.apply(rows.next()) : null,
            () -> {
              if (rows instanceof AutoCloseable c) {
                try {
                  c.close();
                } catch (Exception e) {
                  throw new IngestException("cannot close the source query: " + e.getMessage(), e);
                }
              }
            },
            first));
    return run;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
        long bytes = 0;
        RawRecord r;
        while (list.size() < chunkSize && bytes < CHUNK_BYTES && (r = pr.next.get()) != null) {
          list.add(r);
          bytes += r.bytes().length;
        }
        if (list.isEmpty()) {
          pr.close.run();
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
    exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
      @Override
      public void onDone(Exchange e) {
        ahead.close();
      }
    });
    return ahead;
  }

  /**
   * Applies the cleaning rules to a slice, then refuses the accepted rows of customers erased on request (reason
   * {@link RejectReason#ERASED}; the line's text is not kept, that is the point of the erasure).
   */
  public Chunk<T> clean(Chunk<T> chunk, Exchange exchange) {
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    ErasedCustomers erased = store.store().erasedCustomers();
    boolean check = !erased.none();
    for (RawRecord r : chunk.raw()) {
      if (r.problem() != null) {
        String col = r.problemColumn() >= 0 ? "column " + (r.problemColumn() + 1) : null;
        chunk.rejected().add(new Rejection(r.line(), r.problem(), col, null, r.problemMessage(), r.text()));
        run.count(r.problem());
      } else {
        int before = chunk.accepted().size();
        cleanRecord(run, r, chunk);
        if (check && chunk.accepted().size() > before) {
          String customer = customerOf(chunk.accepted().getLast());
          if (erased.isErased(customer)) {
            chunk.accepted().removeLast();
            chunk.rejected().add(erasedRejection(r.line()));
            run.reclassify(RejectReason.ERASED);
            run.customers.remove(customer);
          }
        }
      }
    }
    return chunk;
  }

  /** The rejection of a row of an erased customer: where it was, why, and neither the customer id nor the line. */
  public static Rejection erasedRejection(long line) {
    return new Rejection(line, RejectReason.ERASED, "customer_id", null,
        "the customer was erased on request: their rows are not taken in (and this line is not kept)", "");
  }

  /** Writes a cleaned slice: accepted rows and rejections. */
  public void store(Chunk<T> chunk, Exchange exchange) {
    IngestRun run = exchange.getProperty(IngestRun.PROPERTY, IngestRun.class);
    storeAccepted(run, chunk.accepted());
    store.rejections().writeRejections(chunk.rejected(), run.sourceId());
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

  /**
   * Records the end of a run in the log and returns its accounting. When the store itself is failing, the accounting
   * is still returned (with the failure, and without store totals) so that the caller can report it.
   */
  public static IngestReport close(IngestRun run, String status, IngestStore store) {
    IngestReport.Totals totals;
    try {
      totals = store.runs().totals();
    } catch (StoreException e) {
      run.fail("the store cannot be read: " + e.getMessage());
      totals = null;
      status = "FAILED";
    }
    IngestReport r = run.report(status, totals);
    try {
      store.runs().finishRun(
          run.runId(), run.sourceId(), r.status(), r.read(), r.accepted(), r.rejected(), r.returns(), r.outliers(),
          r.customers(), r.firstDate(), r.lastDate(), r.rowsPerSecond(),
          Json.write(r.rejectedByReason()), r.failure());
    } catch (StoreException e) {
      LOG.error("cannot record the end of run {} in the store: {}", run.runId(), e.getMessage());
    }
    run.release();
    return r;
  }

  /** The records still to come and, for sources without a header, the first record still to be delivered. */
  static final class PendingReader {
    final Supplier<RawRecord> next;
    final Runnable close;
    RawRecord pending;

    PendingReader(Supplier<RawRecord> next, Runnable close, RawRecord pending) {
      this.next = next;
      this.close = close;
      this.pending = pending;
    }
  }
}
