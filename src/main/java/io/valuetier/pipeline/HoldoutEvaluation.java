package io.valuetier.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.TrainingService;
import io.valuetier.model.eval.Backtest;
import io.valuetier.model.eval.ModelMetrics;
import io.valuetier.report.ReportData;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * How the models would have done on the most recent horizon of the data: every algorithm trained on the days before
 * it (calibration), scored on it (holdout), the champion chosen on a validation window inside the calibration period.
 * This is the evidence the report shows; it is kept under {@code models/evaluations/} by data and settings fingerprint
 * and sample size, so that an unchanged run reuses it and a run on the scoring path shows its champion's.
 *
 * <p>Bounded: it runs on a seeded uniform sample of at most {@code valuetier.run.evaluation.max-customers} customers
 * ({@link CustomerLog#sample}), so at a million customers it costs what it costs at that many. What it cannot reuse
 * from the training of the same run: its models are trained at the holdout's start, a different cutoff than the
 * champion's, on features at that cutoff; sharing them would let the holdout leak into the models it judges.
 *
 * @param customers customers in the evaluation (the sample)
 * @param customersBeforeSampling customers in the store's log
 */
public record HoldoutEvaluation(
    @JsonProperty("calibration_end") LocalDate calibrationEnd,
    @JsonProperty("holdout_end") LocalDate holdoutEnd,
    String champion,
    List<ReportData.ModelRow> models,
    List<ReportData.Gains> gains,
    List<ReportData.Decile> calibration,
    int customers,
    @JsonProperty("customers_before_sampling") int customersBeforeSampling,
    @JsonIgnore boolean reused) {

  /**
   * The evaluation of {@code log}'s last horizon, from the cache or computed now; {@code null} when the data is too
   * short to hold a horizon out and still train on what comes before ({@code minCalibrationDays} of data first).
   */
  public static HoldoutEvaluation forLog(
      CustomerLog log, TrainingService training, int minCalibrationDays, int maxCustomers) {
    int horizon = training.settings().horizonDays();
    if (log.records() == 0
        || log.lastDate().minusDays(horizon).isBefore(log.firstDate().plusDays(minCalibrationDays))) {
      return null;
    }
    Path file = file(training, log.fingerprint(), maxCustomers);
    HoldoutEvaluation cached = read(file);
    if (cached != null) {
      return cached;
    }
    CustomerLog sample = log.sample(maxCustomers, training.settings().seed());
    LocalDate holdoutEnd = sample.lastDate();
    LocalDate calibrationEnd = holdoutEnd.minusDays(horizon);
    if (calibrationEnd.isBefore(sample.firstDate().plusDays(minCalibrationDays))) {
      return null;
    }
    Backtest.Report r = Backtest.run(sample, calibrationEnd, holdoutEnd, training.settings());
    List<ReportData.ModelRow> rows = new ArrayList<>();
    List<ReportData.Gains> gains = new ArrayList<>();
    List<ReportData.Decile> deciles = new ArrayList<>();
    for (Backtest.ModelResult m : r.models()) {
      ModelMetrics h = m.holdout();
      rows.add(new ReportData.ModelRow(m.algorithm(), h.spearman(), h.normalizedGini(), h.topDecileCapture(), h.mae(),
          h.rmse(), h.predictedTotal(), h.actualTotal()));
      gains.add(new ReportData.Gains(m.algorithm(), m.curves().gains()));
      if (m.algorithm().equals(r.champion())) {
        for (int d = 0; d < 10; d++) {
          deciles.add(new ReportData.Decile(d + 1, m.curves().predictedByDecile()[d], m.curves().actualByDecile()[d]));
        }
      }
    }
    HoldoutEvaluation e = new HoldoutEvaluation(
        calibrationEnd, holdoutEnd, r.champion(), rows, gains, deciles, sample.size(), log.size(), false);
    Path dir = file.getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "evaluation", ".tmp");
      Files.writeString(tmp, Json.pretty(e));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot keep the holdout evaluation in " + dir + ": " + ex.getMessage(), ex);
    }
    return e;
  }

  /**
   * The evaluation kept for the champion's own data and settings (what the run that trained it computed), or
   * {@code null} when none is kept: the scoring path shows it without evaluating anything.
   */
  public static HoldoutEvaluation ofChampion(TrainingService training, int maxCustomers) {
    return training.registry().champion()
        .filter(c -> c.settingsFingerprint().equals(training.settings().fingerprint()))
        .map(c -> read(file(training, c.dataFingerprint(), maxCustomers)))
        .orElse(null);
  }

  private static Path file(TrainingService training, String dataFingerprint, int maxCustomers) {
    return training.registry().dir().resolve("evaluations")
        .resolve(dataFingerprint + "-" + training.settings().fingerprint() + "-" + maxCustomers + ".json");
  }

  private static HoldoutEvaluation read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      HoldoutEvaluation c = Json.MAPPER.readValue(file.toFile(), HoldoutEvaluation.class);
      return new HoldoutEvaluation(c.calibrationEnd, c.holdoutEnd, c.champion, c.models, c.gains, c.calibration,
          c.customers, c.customersBeforeSampling, true);
    } catch (IOException e) {
      return null; // an unreadable cache entry is recomputed and replaced
    }
  }
}
