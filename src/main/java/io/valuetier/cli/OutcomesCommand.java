package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.feedback.OutcomeReport;
import io.valuetier.ingest.IngestReport;
import io.valuetier.ingest.IngestService;
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

/** {@code valuetier outcomes ingest|report}: the results of the actions, and what they were worth against control. */
@Command(
    name = "outcomes",
    mixinStandardHelpOptions = true,
    description = "Outcomes of the actions: ingest them, and report response, revenue and uplift against control.",
    subcommands = {OutcomesCommand.Ingest.class, OutcomesCommand.Report.class})
public final class OutcomesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code valuetier outcomes ingest FILE}. */
  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = {
        "Reads an outcomes CSV (decision_id, responded and optionally customer_id, purchased, revenue, window_days,",
        "observed_at) through the route ingest-outcomes-file; unknown decisions and bad lines are rejected with reasons."
      })
  static final class Ingest implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "The outcomes CSV.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s);
          IngestService ingest = new IngestService(s, store)) {
        IngestReport r = ingest.ingestOutcomes(file);
        if (json) {
          System.out.println(Json.write(r));
        } else {
          System.out.printf(Locale.ROOT, "Outcomes from %s: read %,d = accepted %,d + rejected %,d%s%n", r.source(),
              r.read(), r.accepted(), r.rejected(), r.rejectedByReason().isEmpty() ? "" : " " + r.rejectedByReason());
        }
        return r.failed() ? 1 : 0;
      }
    }
  }

  /** {@code valuetier outcomes report}. */
  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Per tier and action: treated and control customers with outcomes, response and purchase rates, revenue per",
        "customer, and the uplift of purchase rate and revenue against the control group with 95% confidence intervals."
      })
  static final class Report implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--run", description = "Only the decisions of this decision run (default: all runs).")
    Long run;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        List<OutcomeReport.Row> rows = OutcomeReport.compute(store, run);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("run", run);
          m.put("rows", rows);
          System.out.println(Json.write(m));
        } else {
          System.out.print(OutcomeReport.text(rows));
        }
        return 0;
      }
    }
  }
}
