package io.valuetier.cli;

import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.features.TransactionFileLog;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.eval.Backtest;
import io.valuetier.model.eval.EvaluationReport;
import io.valuetier.model.picks.PicksEvaluation;
import io.valuetier.model.picks.PicksSettings;
import io.valuetier.model.eval.RollingBacktest;
import io.valuetier.model.eval.RollingChoice;
import io.valuetier.model.eval.RollingRecord;
import io.valuetier.model.eval.RollingReport;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier evaluate}: the calibration/holdout backtest of every value model on transaction files. */
@Command(
    name = "evaluate", header = "Backtests the value models on transaction files.",
    mixinStandardHelpOptions = true,
    description = {
      "Backtests the value models on transaction files.",
      "Trains on data up to --calibration-end only (the champion is",
      "chosen on a validation window inside it), predicts each customer's net spend up to --holdout-end and compares.",
      "Several --transactions/--format pairs are concatenated; where they overlap, the later file wins.",
      "Also evaluates the product recommender on the same split: hit rate, recall and catalogue coverage of N picks",
      "per customer (valuetier.picks.max-products) against the popularity baseline.",
      "With --rolling, the backtest runs at every month end that leaves a full --horizon-days holdout before the data",
      "ends and has --history-months of history before it (half the usable span where the data is shorter), and",
      "prints every cutoff's figures, then each model's mean and worst cutoff."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--transactions", paramLabel = "FILE", required = true, description = "Transaction file (repeatable).")
  List<Path> transactions = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      required = true,
      description = "Layout of each file, in the same order (one value applies to all): online-retail, online-retail-ii, cdnow, canonical.")
  List<TransactionFormat> formats = new ArrayList<>();

  @Option(names = "--calibration-end", paramLabel = "DATE", description = "Last day the models may see (YYYY-MM-DD); needed without --rolling.")
  LocalDate calibrationEnd;

  @Option(names = "--holdout-end", paramLabel = "DATE", description = "Last day of the holdout (YYYY-MM-DD); needed without --rolling.")
  LocalDate holdoutEnd;

  @Option(names = "--rolling", description = "Backtest at every month-end cutoff instead of one split.")
  boolean rolling;

  @Option(names = "--record", description = "With --rolling: keep the champion it chooses (best rolling mean, worst"
      + " cutoff as a guard) in the model registry, for the next training to use (valuetier.model.rolling-choice.*),"
      + " and the whole backtest (rolling-backtest.json) for the HTML report.")
  boolean record;

  @Option(names = "--horizon-days", paramLabel = "DAYS", description = "Holdout length of the rolling backtest (default: valuetier.model.horizon-days).")
  Integer horizonDays;

  @Option(names = "--history-months", paramLabel = "MONTHS", defaultValue = "12", description = "History wanted before each rolling cutoff (default: ${DEFAULT-VALUE}).")
  int historyMonths;

  @Option(names = "--customer-share", paramLabel = "SHARE", defaultValue = "1", description = "Seeded share of customers the rolling backtest uses, to bound its time (default: ${DEFAULT-VALUE}, all).")
  double customerShare;

  @Option(names = "--algorithms", paramLabel = "LIST", description = "Override valuetier.model.algorithms, e.g. gbt,btyd.")
  String algorithms;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    if (formats.size() != 1 && formats.size() != transactions.size()) {
      throw new IllegalArgumentException(
          "give one --format for all files or one per --transactions (got " + transactions.size() + " files and "
              + formats.size() + " formats)");
    }
    if (rolling && (calibrationEnd != null || holdoutEnd != null)) {
      throw new IllegalArgumentException(
          "--rolling picks its own cutoffs (every month end with a full --horizon-days after it): drop "
              + "--calibration-end and --holdout-end, or drop --rolling for one split");
    }
    if (record && !rolling) {
      throw new IllegalArgumentException("--record keeps the choice of a rolling backtest: add --rolling");
    }
    if (!rolling && (calibrationEnd == null || holdoutEnd == null)) {
      throw new IllegalArgumentException(
          "give --calibration-end and --holdout-end for one split, or --rolling for every month-end cutoff");
    }
    List<TransactionFileLog.Source> sources = new ArrayList<>();
    for (int i = 0; i < transactions.size(); i++) {
      sources.add(
          new TransactionFileLog.Source(
              transactions.get(i), formats.get(formats.size() == 1 ? 0 : i)));
    }
    Settings settings =
        algorithms == null ? common.settings() : common.settings(Map.of("valuetier.model.algorithms", algorithms));
    ModelSettings ms = ModelSettings.from(settings);
    // checked before the files are read: a wrong share or horizon is said at once
    RollingBacktest.Options options = rolling
        ? new RollingBacktest.Options(horizonDays == null ? ms.horizonDays() : horizonDays, historyMonths, customerShare)
        : null;
    long t0 = System.nanoTime();
    // the recommender is judged on the one split; a rolling backtest has no split of its own to judge it on
    PicksEvaluation.Split split = rolling ? null : new PicksEvaluation.Split(calibrationEnd, holdoutEnd);
    CleaningRules rules = CleaningRules.from(settings, LocalDateTime.now());
    TransactionFileLog.Result read =
        split == null ? TransactionFileLog.read(sources, rules) : TransactionFileLog.read(sources, rules, split);
    double readSeconds = (System.nanoTime() - t0) / 1e9;
    if (rolling) {
      RollingBacktest.Report report =
          RollingBacktest.run(
              read.log(), ms, options,
              c -> System.err.printf(Locale.ROOT, "cutoff %s done (%.0f s)%n", c.cutoff(), c.seconds()));
      RollingChoice choice = RollingChoice.of(report, read.log().lastDate(), ms.championTolerance(),
          settings.doubleValue("valuetier.model.rolling-choice.worst-guard", 0, 1), ms.championCandidates());
      Path registryDir = settings.path("valuetier.model.registry-dir");
      Path kept = record ? choice.write(registryDir) : null;
      // the whole backtest beside the choice, for the HTML report's "Rolling-origin backtest" section
      Path backtest = record ? RollingRecord.write(registryDir, RollingRecord.asMap(report, choice,
          read.log().lastDate(), transactions.stream().map(Path::toString).toList(), refreshCommand())) : null;
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>(RollingReport.asMap(report));
        m.put("files", read.files());
        m.put("choice", choice.asMap());
        m.put("choice_recorded", kept == null ? null : kept.toString());
        m.put("backtest_recorded", backtest == null ? null : backtest.toString());
        System.out.println(Json.write(m));
      } else {
        read.files().forEach(f -> System.out.println(f.describe()));
        System.out.print(RollingReport.text(report));
        System.out.println(choice.describe());
        System.out.println(kept == null ? "(not recorded: add --record to make it the champion of the next training)"
            : "recorded in " + kept + ": the next training within valuetier.model.rolling-choice.max-days of "
                + choice.dataEnd() + " makes " + choice.algorithm() + " the champion; the backtest is in " + backtest
                + " for the HTML report");
      }
      return 0;
    }

    Backtest.Report report = Backtest.run(read.log(), calibrationEnd, holdoutEnd, ms);
    EvaluationReport out = EvaluationReport.of(report, read, readSeconds);
    PicksSettings picks = PicksSettings.from(settings);
    PicksEvaluation products = split.evaluate(picks, picks.maxProducts());
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>(out.asMap());
      m.put("product_picks", products.asMap());
      System.out.println(Json.write(m));
    } else {
      read.files().forEach(f -> System.out.println(f.describe()));
      System.out.print(out.text());
      System.out.print(picksText(products));
    }
    return 0;
  }

  /** The command line that records this rolling backtest again, for the report's "how to refresh" line. */
  String refreshCommand() {
    List<String> parts = new ArrayList<>(List.of("./valuetier", "evaluate", "--rolling", "--record"));
    for (int i = 0; i < transactions.size(); i++) {
      parts.add("--transactions");
      parts.add(quoted(transactions.get(i).toString()));
      if (formats.size() > 1 || i == 0) {
        parts.add("--format");
        parts.add(formats.get(formats.size() == 1 ? 0 : i).id());
      }
    }
    if (horizonDays != null) {
      parts.add("--horizon-days=" + horizonDays);
    }
    if (historyMonths != 12) {
      parts.add("--history-months=" + historyMonths);
    }
    if (customerShare != 1) {
      parts.add("--customer-share=" + customerShare);
    }
    if (algorithms != null) {
      parts.add("--algorithms=" + algorithms);
    }
    return String.join(" ", parts);
  }

  private static String quoted(String arg) {
    return arg.matches("[\\w./:@%+=,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The recommender's holdout figures against the popularity baseline, as a small table. */
  static String picksText(PicksEvaluation e) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nProduct picks: %d per customer, %,d holdout buyers (%,d cold start),"
        + " catalogue %,d products%n", e.n(), e.customers(), e.coldStart(), e.catalogue()));
    sb.append(String.format(Locale.ROOT, "  %-26s %10s %10s %10s%n", "method", "hit rate", "recall", "coverage"));
    for (var row : List.of(Map.entry("co-purchase recommender", e.recommender()),
        Map.entry("popularity (baseline)", e.popularity()))) {
      sb.append(String.format(Locale.ROOT, "  %-26s %9.1f%% %9.1f%% %9.1f%%%n", row.getKey(),
          100 * row.getValue().hitRate(), 100 * row.getValue().recall(), 100 * row.getValue().coverage()));
    }
    return sb.toString();
  }
}
