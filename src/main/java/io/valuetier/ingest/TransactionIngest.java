package io.valuetier.ingest;

import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.records.IngestException;
import io.valuetier.records.Transaction;
import io.valuetier.store.IngestStore;
import java.util.List;
import java.util.function.Supplier;

/** The steps of the transaction file routes: layouts by {@link TransactionFormat}, checks by {@link TransactionCleaner}. */
public final class TransactionIngest extends RecordIngest<Transaction> {
  private static final String LINES = "lines";
  private final Supplier<CleaningRules> rules;

  public TransactionIngest(IngestStore store, Supplier<CleaningRules> rules, int chunkSize, int maxRecordLines,
      int maxRecordBytes) {
    super(store, chunkSize, maxRecordLines, maxRecordBytes);
    this.rules = rules;
  }

  @Override
  protected String kind() {
    return "transactions";
  }

  @Override
  protected DelimitedReader.Mode mode(String format) {
    return TransactionFormat.of(require(format)).mode();
  }

  @Override
  protected int expectedColumns(String format) {
    TransactionFormat f = TransactionFormat.of(require(format));
    return f == TransactionFormat.CANONICAL ? -1 : f.header().size();
  }

  private static String require(String format) {
    if (format == null) {
      throw new IngestException("no --format given: use one of online-retail, online-retail-ii, cdnow, canonical");
    }
    return format;
  }

  @Override
  protected boolean bind(IngestRun run, String format, RawRecord first) {
    TransactionLines lines = TransactionLines.bind(run.source(), TransactionFormat.of(format), first, rules.get());
    run.attach(LINES, lines);
    return lines.firstLineIsHeader();
  }

  @Override
  protected void cleanRecord(IngestRun run, RawRecord r, Chunk<Transaction> chunk) {
    TransactionCleaner.Result res = run.attached(LINES, TransactionLines.class).apply(r);
    if (res.rejected() != null) {
      chunk.rejected().add(res.rejected());
      run.count(res.rejected().reason());
    } else {
      Transaction t = res.accepted();
      chunk.accepted().add(t);
      run.countAccepted(t.isReturn(), t.isOutlier());
      run.seen(t.customerId(), t.country(), t.timestamp());
    }
  }

  @Override
  protected String customerOf(Transaction row) {
    return row.customerId();
  }

  @Override
  protected void storeAccepted(IngestRun run, List<Transaction> rows) {
    store.transactions().writeTransactions(rows, run.sourceId());
  }

  @Override
  protected void complete(IngestRun run) {
    store.customers().addSeenCustomers(run.customers);
  }
}
