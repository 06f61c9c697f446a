package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.privacy.CustomerErasure;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier customers}: personal data on request (forget) and by age (purge-old). */
@Command(
    name = "customers",
    mixinStandardHelpOptions = true,
    description = {
      "Erases customers on request and old transactions by retention.",
      "`customers forget ID...` erases customers' personal data, `customers purge-old` deletes the transactions older"
          + " than valuetier.retention.transactions-days. See docs/personal-data.md."
    },
    subcommands = {CustomersCommand.Forget.class, CustomersCommand.PurgeOld.class})
public final class CustomersCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code customers forget ID...}. */
  @Command(
      name = "forget",
      mixinStandardHelpOptions = true,
      description = {
        "Erases customers' personal data from every table and refuses their later rows.",
        "Later ingests reject their rows with reason ERASED. Files already published are listed, not changed."
      })
  public static final class Forget implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Customer ids, as the store holds them.")
    List<String> ids;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        CustomerErasure.Erasure e = CustomerErasure.of(s, store).forget(ids);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("customers", e.customers().size());
          m.put("newly_marked", e.newlyMarked());
          m.put("rows_deleted", e.rowsDeleted());
          m.put("texts_scrubbed", e.textsScrubbed());
          m.put("files_still_holding_them", e.filesStillHoldingThem().stream().map(Path::toString).toList());
          System.out.println(Json.write(m));
          return 0;
        }
        System.out.printf(Locale.ROOT, "erased %,d customer(s) (%,d newly marked): %,d rows deleted%n",
            e.customers().size(), e.newlyMarked(), e.totalRows());
        for (Map.Entry<String, Long> t : e.rowsDeleted().entrySet()) {
          if (t.getValue() > 0) {
            System.out.printf(Locale.ROOT, "  %-18s %,d%n", t.getKey(), t.getValue());
          }
        }
        if (e.textsScrubbed() > 0) {
          System.out.printf(Locale.ROOT, "  %,d run summaries or notes had the id replaced by %s%n",
              e.textsScrubbed(), CustomerErasure.ERASED);
        }
        if (e.filesStillHoldingThem().isEmpty()) {
          System.out.println("no published or dead-letter file holds them");
        } else {
          System.out.printf(Locale.ROOT,
              "%,d file(s) published earlier still hold them (not changed here; delete them, and have the copies"
                  + " downstream deleted):%n", e.filesStillHoldingThem().size());
          for (Path f : e.filesStillHoldingThem()) {
            System.out.println("  " + f);
          }
        }
      }
      return 0;
    }
  }

  /** {@code customers purge-old}. */
  @Command(
      name = "purge-old",
      mixinStandardHelpOptions = true,
      description = {
        "Deletes the transactions older than the retention setting.",
        "The setting is valuetier.retention.transactions-days; empty or 0 keeps them forever and deletes nothing."
      })
  public static final class PurgeOld implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--days", paramLabel = "DAYS", description = "Retention in days for this run (default: the setting).")
    Integer days;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      int d = days != null ? days : CustomerErasure.retentionDays(s);
      try (Store store = common.openStore(s)) {
        CustomerErasure.Purge p = CustomerErasure.of(s, store).purgeTransactionsOlderThan(d);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("retention_days", p.days());
          m.put("older_than", p.days() == 0 ? null : p.olderThan().toLocalDate().toString());
          m.put("transactions_deleted", p.transactionsDeleted());
          System.out.println(Json.write(m));
          return 0;
        }
        if (p.days() == 0) {
          System.out.println("retention of transactions: keep forever (valuetier.retention.transactions-days is"
              + " empty or 0); nothing deleted");
        } else {
          System.out.printf(Locale.ROOT, "deleted %,d transactions ordered before %s (retention %d days)%n",
              p.transactionsDeleted(), p.olderThan().toLocalDate(), p.days());
        }
      }
      return 0;
    }
  }
}
