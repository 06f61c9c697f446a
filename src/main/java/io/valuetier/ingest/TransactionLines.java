package io.valuetier.ingest;

import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.records.TransactionDraft;

/**
 * Turns the records of one transaction file into accepted lines or rejections: the layout bound to the file's first
 * line, then the cleaning rules. Stateful (duplicate detection) and meant to see a file's records in order.
 */
public final class TransactionLines {
  private final TransactionFormat.Binding binding;
  private final TransactionCleaner cleaner;

  private TransactionLines(TransactionFormat.Binding binding, TransactionCleaner cleaner) {
    this.binding = binding;
    this.cleaner = cleaner;
  }

  /** Binds {@code format} to the file's first record (a header, or for CDNOW possibly a data line). */
  public static TransactionLines bind(String source, TransactionFormat format, RawRecord first, CleaningRules rules) {
    TransactionFormat.Binding b = format.bind(source, first.fields());
    if (!b.firstLineIsHeader()) {
      b = b.forCdnowColumns(first.fields().length);
    }
    boolean cancellationPrefix =
        format == TransactionFormat.ONLINE_RETAIL || format == TransactionFormat.ONLINE_RETAIL_II;
    return new TransactionLines(b, new TransactionCleaner(rules, cancellationPrefix, format.identicalLinesAreDuplicates()));
  }

  /** Whether the first record was a header (else it is data and must be passed to {@link #apply}). */
  public boolean firstLineIsHeader() {
    return binding.firstLineIsHeader();
  }

  /** The accepted line or the rejection of one record. */
  public TransactionCleaner.Result apply(RawRecord r) {
    if (r.problem() != null) {
      String col = r.problemColumn() >= 0 ? "column " + (r.problemColumn() + 1) : null;
      return new TransactionCleaner.Result(
          null, new Rejection(r.line(), r.problem(), col, null, r.problemMessage(), r.text()));
    }
    String[] f = r.fields();
    if (f.length != binding.columns()) {
      return new TransactionCleaner.Result(
          null,
          new Rejection(
              r.line(), RejectReason.WRONG_COLUMN_COUNT, null, String.valueOf(f.length),
              "line has " + f.length + " columns, the " + binding.format().id() + " layout has " + binding.columns(),
              r.text()));
    }
    TransactionDraft d = new TransactionDraft();
    binding.map(f, d);
    return cleaner.clean(r.line(), d, r::text);
  }
}
