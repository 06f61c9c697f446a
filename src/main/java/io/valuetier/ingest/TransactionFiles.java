package io.valuetier.ingest;

import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.records.IngestException;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.records.Transaction;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and cleans a transaction file without storing it, with exactly the rules of the ingest routes: for
 * backtests and evaluation, which work on files in memory.
 */
public final class TransactionFiles {
  private TransactionFiles() {}

  /** Counts of one read: {@code read == accepted + rejected}. */
  public record Summary(long read, long accepted, long rejected, Map<RejectReason, Long> rejectedByReason) {}

  public static Summary read(
      Path file, TransactionFormat format, CleaningRules rules, Consumer<Transaction> accepted) {
    return read(file, format, rules, accepted, r -> {});
  }

  public static Summary read(
      Path file,
      TransactionFormat format,
      CleaningRules rules,
      Consumer<Transaction> accepted,
      Consumer<Rejection> rejected) {
    SourceFile src = SourceFile.of(file);
    int expected = format == TransactionFormat.CANONICAL ? -1 : format.header().size();
    long read = 0;
    long ok = 0;
    Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);
    try (DelimitedReader reader = new DelimitedReader(src.open(), format.mode(), expected, 20)) {
      RawRecord first = reader.next();
      if (first == null) {
        throw new IngestException(file + " is empty");
      }
      if (first.problem() != null) {
        throw new IngestException(file + " line 1: cannot read the header: " + first.problemMessage());
      }
      TransactionLines lines = TransactionLines.bind(file.toString(), format, first, rules);
      RawRecord r = lines.firstLineIsHeader() ? reader.next() : first;
      for (; r != null; r = reader.next()) {
        read++;
        TransactionCleaner.Result res = lines.apply(r);
        if (res.accepted() != null) {
          ok++;
          accepted.accept(res.accepted());
        } else {
          reasons.merge(res.rejected().reason(), 1L, Long::sum);
          rejected.accept(res.rejected());
        }
      }
    }
    return new Summary(read, ok, read - ok, reasons);
  }
}
