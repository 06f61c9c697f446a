package io.valuetier.cli;

import io.valuetier.bench.OutcomeSimulator;
import io.valuetier.config.Settings;
import io.valuetier.feedback.OutcomeReport;
import io.valuetier.ingest.IngestService;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
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
    name = "outcomes", header = "Ingests the outcomes of actions and reports response, revenue and uplift.",
    mixinStandardHelpOptions = true,
    description = "Outcomes of the actions: ingest them, and report response, revenue and uplift against control.",
    subcommands = {OutcomesCommand.Ingest.class, OutcomesCommand.Report.class, OutcomesCommand.Simulate.class})
public final class OutcomesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code valuetier outcomes ingest FILE}. */
  @Command(
      name = "ingest", header = "Ingests an outcomes CSV (responses and revenue per decision).",
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
          if (r.rejected() > 0) {
            System.out.println("  first rejected lines (all of them are in the table rejected_records, with their text):");
            new IngestStore(store).rejections().firstRejections(r.runId(), 5)
                .forEach(line -> System.out.println("    " + line));
          }
        }
        return r.failed() ? 1 : 0;
      }
    }
  }

  /** {@code valuetier outcomes report}. */
  @Command(
      name = "report", header = "Reports response, purchase and revenue per tier and action against control.",
      mixinStandardHelpOptions = true,
      description = {
        "Per tier and action: treated and control customers with outcomes, response and purchase rates, revenue per",
        "customer, and the uplift of purchase rate and revenue against the control group with 95% confidence intervals."
      })
  static final class Report implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(paramLabel = "N", names = "--run", description = "Only the decisions of this decision run (default: all runs).")
    Long run;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--per-action", description = "One row per action over all tiers (pooled: tighter intervals).")
    boolean perAction;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        List<OutcomeReport.Row> rows = OutcomeReport.compute(store, run, !perAction);
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

  /** {@code valuetier outcomes simulate}: a synthetic outcomes file with a known effect, for demos and tests. */
  @Command(
      name = "simulate", header = "Writes a synthetic outcomes file with a known effect, for demos and tests.",
      mixinStandardHelpOptions = true,
      description = {
        "Writes a SYNTHETIC outcomes file for a decision run (the bundled public data has no marketing outcomes), with a",
        "known purchase effect per action, to show and test the loop: ingest it with `outcomes ingest`. Base chance to buy",
        "= base-rate x the customer's probability_active; a customer who got the action adds the effect (percentage",
        "points as a share, e.g. 0.05); buyers spend spend-share x predicted spend x a log-normal factor."
      })
  static final class Simulate implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(paramLabel = "N", names = "--run", description = "Decision run (default: the latest).")
    Long run;

    @Option(paramLabel = "FILE", names = "--out", required = true, description = "File to write (CSV).")
    Path out;

    @Option(paramLabel = "NUMBER", names = "--effect", description = "Purchase effect of every action (default ${DEFAULT-VALUE}).", defaultValue = "0.05")
    double effect;

    @Option(paramLabel = "CODE=NUMBER", names = "--action-effect", description = "Effect of one action, e.g. --action-effect VOUCHER_10=0.08 (repeatable).")
    Map<String, Double> actionEffects = new HashMap<>();

    @Option(paramLabel = "NUMBER", names = "--base-rate", description = "Base chance to buy, times probability_active (default ${DEFAULT-VALUE}).", defaultValue = "0.4")
    double baseRate;

    @Option(paramLabel = "NUMBER", names = "--spend-share", description = "Share of the predicted spend a buyer spends in the window (default ${DEFAULT-VALUE}).", defaultValue = "0.25")
    double spendShare;

    @Option(paramLabel = "DAYS", names = "--window-days", defaultValue = "30", description = "Outcome window in days (default ${DEFAULT-VALUE}).")
    int windowDays;

    @Option(paramLabel = "N", names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        long r = run != null ? run : OutcomeSimulator.latestRun(store);
        if (r < 0) {
          System.err.println("error: no decisions in the store yet: run `valuetier run` or `valuetier decide` first");
          return 2;
        }
        Map<String, Double> upper = new HashMap<>();
        actionEffects.forEach((k, v) -> upper.put(k.toUpperCase(Locale.ROOT), v));
        var result = new OutcomeSimulator(baseRate, spendShare, effect, upper, seed)
            .write(store, r, out, LocalDate.now(), windowDays);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("synthetic", true);
          m.put("decision_run", r);
          m.put("file", out.toAbsolutePath().toString());
          m.put("lines", result.lines());
          m.put("treated", result.treated());
          m.put("control", result.control());
          m.put("buyers", result.buyers());
          System.out.println(Json.write(m));
        } else {
          System.out.printf(Locale.ROOT,
              "Wrote %,d SYNTHETIC outcomes of decision run %d to %s (%,d treated, %,d control, %,d buyers)%n",
              result.lines(), r, out, result.treated(), result.control(), result.buyers());
        }
        return 0;
      }
    }
  }
}
