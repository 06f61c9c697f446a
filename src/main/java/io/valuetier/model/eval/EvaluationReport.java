package io.valuetier.model.eval;

import io.valuetier.features.TransactionFileLog;
import io.valuetier.model.Snapshot;
import io.valuetier.model.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The printed forms of a {@link Backtest.Report}: a comparison table for people and one JSON object for machines. */
public final class EvaluationReport {
  private final Backtest.Report report;
  private final TransactionFileLog.Result read;
  private final double readSeconds;

  private EvaluationReport(Backtest.Report report, TransactionFileLog.Result read, double readSeconds) {
    this.report = report;
    this.read = read;
    this.readSeconds = readSeconds;
  }

  public static EvaluationReport of(Backtest.Report report, TransactionFileLog.Result read, double readSeconds) {
    return new EvaluationReport(report, read, readSeconds);
  }

  /** The JSON form: {@code models} (one object per algorithm) and {@code champion}, with the protocol's details. */
  public Map<String, Object> asMap() {
    Map<String, Object> o = new LinkedHashMap<>();
    Trainer.Result t = report.training();
    o.put("calibration_end", report.calibrationEnd().toString());
    o.put("holdout_end", report.holdoutEnd().toString());
    o.put("horizon_days", report.horizonDays());
    o.put("customers", t.scoredAtCutoff());
    List<Map<String, Object>> models = new ArrayList<>();
    for (Backtest.ModelResult m : report.models()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", m.algorithm());
      r.putAll(m.holdout().asMap());
      r.put("interval_coverage", Double.isNaN(m.intervalCoverage()) ? null : m.intervalCoverage());
      r.put("training_seconds", m.trainingSeconds());
      Map<String, Object> v = new LinkedHashMap<>(m.validation().asMap());
      v.put("score", Trainer.score(m.validation()));
      r.put("validation", v);
      models.add(r);
    }
    o.put("models", models);
    o.put("champion", report.champion());
    Map<String, Object> protocol = new LinkedHashMap<>();
    protocol.put("validation_cutoff", t.validationCutoff().toString());
    protocol.put("validation_days", t.validationDays());
    protocol.put("validation_snapshots", snapshots(t.validationPlan()));
    protocol.put("training_snapshots", snapshots(t.trainingPlan()));
    protocol.put("training_rows", t.trainingRows());
    protocol.put("training_rows_before_sampling", t.trainingRowsBeforeSampling());
    protocol.put(
        "champion_rule",
        "best mean of normalized Gini and Spearman on the validation window; gbt wins ties within "
            + "valuetier.model.champion-tolerance");
    o.put("protocol", protocol);
    if (read != null) {
      o.put("files", read.files());
      o.put("data_fingerprint", read.log().fingerprint());
      o.put("read_seconds", readSeconds);
    }
    o.put("seconds", report.seconds());
    return o;
  }

  private static List<String> snapshots(List<Snapshot> plan) {
    return plan.stream().map(s -> s.cutoff() + "+" + s.horizonDays() + "d").toList();
  }

  /** The comparison table. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    Trainer.Result t = report.training();
    sb.append(String.format(Locale.ROOT, "Backtest: calibration to %s, holdout %s..%s (%d days), %,d customers%n",
        report.calibrationEnd(), report.calibrationEnd().plusDays(1), report.holdoutEnd(), report.horizonDays(),
        t.scoredAtCutoff()));
    sb.append(String.format(Locale.ROOT, "Validation window %s..%s (%d days); training snapshots %s; %,d rows%n",
        t.validationCutoff().plusDays(1), report.calibrationEnd(), t.validationDays(), snapshots(t.trainingPlan()),
        t.trainingRows()));
    sb.append(table(report.models(), report.champion()));
    sb.append(String.format(Locale.ROOT, "Champion (chosen on the validation window): %s%n", report.champion()));
    sb.append(String.format(Locale.ROOT, "Time: %.1f s (reading %.1f s)%n", report.seconds(), readSeconds));
    return sb.toString();
  }

  /** A Markdown table of the holdout metrics, champion marked. */
  public static String table(List<Backtest.ModelResult> models, String champion) {
    StringBuilder sb = new StringBuilder();
    sb.append("| model | Spearman | normalized Gini | top-decile capture | lift | MAE | RMSE | predicted total | actual total | total error | decile MAPE | buy AUC | 80% interval coverage | validation score |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Backtest.ModelResult m : models) {
      ModelMetrics h = m.holdout();
      sb.append(String.format(Locale.ROOT,
          "| %s%s | %.3f | %.3f | %.1f%% | %.2f | %.2f | %.2f | %,.0f | %,.0f | %+.1f%% | %.1f%% | %.3f | %s | %.3f |%n",
          m.algorithm(), m.algorithm().equals(champion) ? " (champion)" : "", h.spearman(), h.normalizedGini(),
          100 * h.topDecileCapture(), h.topDecileLift(), h.mae(), h.rmse(), h.predictedTotal(), h.actualTotal(),
          100 * h.totalError(), 100 * h.decileMape(), h.buyAuc(),
          Double.isNaN(m.intervalCoverage()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * m.intervalCoverage()),
          Trainer.score(m.validation())));
    }
    return sb.toString();
  }
}
