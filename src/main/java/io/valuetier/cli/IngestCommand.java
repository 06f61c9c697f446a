package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.ingest.IngestRun;
import io.valuetier.ingest.IngestService;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.records.IngestReport;
import io.valuetier.records.RejectReason;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier ingest}: load and clean transactions and customer facts through the ingest routes. */
@Command(
    name = "ingest", header = "Reads, cleans and stores transactions and customer facts.",
    mixinStandardHelpOptions = true,
    description = {
      "Reads transactions (and customer facts) through the Camel ingest routes, cleans them and stores them.",
      "Every line read is either accepted or rejected with a reason: read = accepted + rejected.",
      "Ingesting the same file again changes nothing."
    })
public final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--transactions", paramLabel = "FILE", description = "Transaction file (.csv, .txt, gzip allowed).")
  Path transactions;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Layout of the transaction file: online-retail, online-retail-ii, cdnow, canonical.")
  TransactionFormat format;

  @Option(names = "--customers", paramLabel = "FILE", description = "Customer facts CSV.")
  Path customers;

  @Option(
      names = "--products",
      paramLabel = "FILE",
      description = "Product catalogue CSV (product_id, description, unit_price, in_stock) for the product picks.")
  Path products;

  @Option(
      names = "--jdbc",
      description = "Also read transactions from the source database (valuetier.ingest.jdbc.* settings).")
  boolean jdbc;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "Source database URL (implies --jdbc).")
  String jdbcUrl;

  @Option(
      names = "--jdbc-query-file",
      paramLabel = "FILE",
      description = "SQL file whose columns follow the canonical layout (default routes/sql/source-transactions.sql).")
  Path jdbcQueryFile;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    jdbc |= jdbcUrl != null || jdbcQueryFile != null;
    if (transactions == null && customers == null && products == null && !jdbc) {
      throw new IllegalArgumentException(
          "nothing to ingest: give --transactions FILE --format F, --customers FILE, --products FILE and/or --jdbc");
    }
    TransactionFormat f = null;
    if (transactions != null) {
      if (format == null) {
        throw new IllegalArgumentException(
            "--transactions needs --format: online-retail, online-retail-ii, cdnow or canonical");
      }
      f = format;
    }
    Map<String, String> more = new HashMap<>();
    if (jdbcUrl != null) {
      more.put("valuetier.ingest.jdbc.url", jdbcUrl);
    }
    if (jdbcQueryFile != null) {
      more.put("valuetier.ingest.jdbc.query-file", jdbcQueryFile.toAbsolutePath().toString());
    }
    Settings settings = common.settings(more);
    List<IngestReport> reports = new ArrayList<>();
    try (Store store = common.openStore(settings);
        IngestService service = new IngestService(settings, store)) {
      if (customers != null) {
        reports.add(withProgress(service, "customers", () -> service.ingestCustomers(customers)));
      }
      if (products != null) {
        reports.add(withProgress(service, "products", () -> service.ingestProducts(products)));
      }
      if (transactions != null) {
        TransactionFormat tf = f;
        reports.add(withProgress(service, "ingest", () -> service.ingestTransactions(transactions, tf)));
      }
      if (jdbc) {
        reports.add(withProgress(service, "jdbc", service::ingestJdbc));
      }
      print(reports, store, System.out);
    }
    return reports.stream().anyMatch(IngestReport::failed) ? 1 : 0;
  }

  private IngestReport withProgress(IngestService service, String label, Supplier<IngestReport> job) {
    try (Progress p =
        Progress.start(
            label,
            () -> {
              IngestRun r = service.current();
              return r == null ? 0 : r.progress();
            },
            () -> {
              IngestRun r = service.current();
              return r == null ? "" : String.format(Locale.ROOT, "%,d rows", r.read());
            },
            json)) {
      return job.get();
    }
  }

  private void print(List<IngestReport> reports, Store store, PrintStream out) {
    String where = store.describe();
    if (json) {
      IngestReport tx = reports.stream().filter(r -> r.kind().equals("transactions")).findFirst().orElse(null);
      IngestReport cu = reports.stream().filter(r -> r.kind().equals("customers")).findFirst().orElse(null);
      IngestReport pr = reports.stream().filter(r -> r.kind().equals("products")).findFirst().orElse(null);
      IngestReport main = tx != null ? tx : cu != null ? cu : pr;
      Map<String, Object> o = new LinkedHashMap<>(Json.MAPPER.convertValue(main, Map.class));
      o.put("database", where);
      if (tx != null && cu != null) {
        o.put("customer_facts", cu);
      }
      if (pr != null && main != pr) {
        o.put("products", pr);
      }
      out.println(Json.write(o));
      return;
    }
    for (IngestReport r : reports) {
      out.printf(Locale.ROOT, "Ingested %s %s (%s) into %s%n", r.kind(), r.source(), r.format(), where);
      out.printf(Locale.ROOT, "  status      %s%s%n", r.status(), r.failure() == null ? "" : ": " + r.failure());
      out.printf(Locale.ROOT, "  read        %,d = accepted %,d + rejected %,d%n", r.read(), r.accepted(), r.rejected());
      if (!r.rejectedByReason().isEmpty()) {
        out.println("  rejected by reason:");
        r.rejectedByReason()
            .forEach(
                (k, v) ->
                    out.printf(
                        Locale.ROOT, "    %-20s %,9d  %s%n", k, v, RejectReason.valueOf(k).meaning()));
      }
      if (r.kind().equals("transactions")) {
        out.printf(Locale.ROOT, "  returns     %,d lines (kept, netted against spend)%n", r.returns());
        out.printf(Locale.ROOT, "  outliers    %,d lines (kept, flagged)%n", r.outliers());
        out.printf(Locale.ROOT, "  customers   %,d%n", r.customers());
        out.printf(Locale.ROOT, "  dates       %s .. %s%n", r.firstDate(), r.lastDate());
      } else if (r.kind().equals("products")) {
        out.printf(Locale.ROOT, "  products    %,d in the catalogue%n", r.accepted());
      } else {
        out.printf(Locale.ROOT, "  customers   %,d with facts%n", r.accepted());
      }
      out.printf(Locale.ROOT, "  speed       %,.0f rows/s (%.1f s)%n", r.rowsPerSecond(), r.seconds());
      if (r.store() != null) {
        out.printf(
            Locale.ROOT,
            "  store now   transactions %,d, customers %,d, rejected records %,d%n",
            r.store().transactions(), r.store().customers(), r.store().rejected());
      }
      if (r.failed()) {
        out.println("  the run did not complete: what could not be stored is in the dead-letter destination;");
        out.println("  fix the cause and run the same command again (ingest is idempotent)");
      }
      if (r.rejected() > 0) {
        out.println("  first rejected lines (all of them are in the table rejected_records, with their text):");
        for (String line : new IngestStore(store).rejections().firstRejections(r.runId(), 5)) {
          out.println("    " + line);
        }
      }
    }
  }
}
