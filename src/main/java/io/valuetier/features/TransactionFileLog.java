package io.valuetier.features;

import io.valuetier.clean.CleaningRules;
import io.valuetier.ingest.TransactionFiles;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.records.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds a {@link CustomerLog} from transaction files, cleaned in memory with exactly the rules of the ingest route.
 *
 * <p>Several files are concatenated in the order given; where they overlap, the later file wins: an earlier file
 * contributes only its lines dated before the first day of every later file. (The two-year Online Retail log is
 * Online Retail II followed by Online Retail, which repeats 2010-12-01..09.)
 */
public final class TransactionFileLog {
  private TransactionFileLog() {}

  /** One input file and its layout. */
  public record Source(Path file, TransactionFormat format) {}

  /** What was read: the log and, per file, lines read, accepted, kept after the overlap rule. */
  public record Result(CustomerLog log, List<FileSummary> files) {}

  /**
   * Counts of one file: lines read, accepted by cleaning, kept after the overlap rule, and the rejected lines per
   * reason (an analysis command keeps no store, so the counts are what it can say; `ingest` keeps each line).
   */
  public record FileSummary(
      String file, String format, long read, long accepted, long kept, Map<String, Long> rejectedByReason) {

    /** One line of words, e.g. {@code a.csv: 541,909 lines read, 401,564 accepted, 140,345 rejected {...}}. */
    public String describe() {
      return String.format(Locale.ROOT, "%s: %,d lines read, %,d accepted, %,d kept, %,d rejected %s", file, read,
          accepted, kept, read - accepted, rejectedByReason);
    }
  }

  public static Result read(List<Source> sources, CleaningRules rules) {
    return read(sources, rules, t -> {});
  }

  /** As {@link #read(List, CleaningRules)}, also handing every kept transaction to {@code also} (e.g. the recommender). */
  public static Result read(List<Source> sources, CleaningRules rules, Consumer<Transaction> also) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no transaction file given");
    }
    CustomerLog.Builder builder = CustomerLog.builder();
    List<FileSummary> summaries = new ArrayList<>();
    long laterStart = Long.MAX_VALUE; // first day of the files after the current one
    for (int i = sources.size() - 1; i >= 0; i--) {
      Source s = sources.get(i);
      long bound = laterStart;
      long[] kept = {0};
      long[] firstDay = {Long.MAX_VALUE};
      TransactionFiles.Summary sum =
          TransactionFiles.read(
              s.file(),
              s.format(),
              rules,
              t -> {
                long day = t.timestamp().toLocalDate().toEpochDay();
                firstDay[0] = Math.min(firstDay[0], day);
                if (day < bound) {
                  builder.add(t);
                  also.accept(t);
                  kept[0]++;
                }
              });
      laterStart = Math.min(laterStart, firstDay[0]);
      Map<String, Long> reasons = new TreeMap<>();
      sum.rejectedByReason().forEach((r, n) -> reasons.put(r.name(), n));
      summaries.addFirst(new FileSummary(
          s.file().toString(), s.format().id(), sum.read(), sum.accepted(), kept[0], Collections.unmodifiableMap(reasons)));
    }
    return new Result(builder.build(), List.copyOf(summaries));
  }
}
