package io.valuetier.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.TrainingService;
import io.valuetier.model.eval.Backtest;
import io.valuetier.model.eval.Metrics;
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
 * This is the evidence the report shows; it is kept under {@code models/evaluations/} by data and settings fingerprint,
 * so that an unchanged run reuses it.
 */
public record HoldoutEvaluation(
    @JsonProperty("calibration_end") LocalDate calibrationEnd,
    @JsonProperty("holdout_end") LocalDate holdoutEnd,
    String champion,
    List<ReportData.ModelRow> models,
    List<ReportData.Gains> gains,
    List<ReportData.Decile> calibration,
    @JsonIgnore boolean reused) {

  /**
   * The evaluation of {@code log}'s last horizon, from the cache or computed now; {@code null} when the data is too
   * short to hold a horizon out and still train on what comes before ({@code minCalibrationDays} of data first).
   */
  public static HoldoutEvaluation forLog(CustomerLog log, TrainingService training, int minCalibrationDays) {
    int horizon = training.settings().horizonDays();
    LocalDate holdoutEnd = log.lastDate();
    LocalDate calibrationEnd = holdoutEnd.minusDays(horizon);
    if (log.records() == 0 || calibrationEnd.isBefore(log.firstDate().plusDays(minCalibrationDays))) {
      return null;
    }
    Path dir = training.registry().dir().resolve("evaluations");
    Path file = dir.resolve(log.fingerprint() + "-" + training.settings().fingerprint() + ".json");
    if (Files.isRegularFile(file)) {
      try {
        HoldoutEvaluation cached = Json.MAPPER.readValue(file.toFile(), HoldoutEvaluation.class);
        return new HoldoutEvaluation(
            cached.calibrationEnd, cached.holdoutEnd, cached.champion, cached.models, cached.gains, cached.calibration,
            true);
      } catch (IOException e) {
        // An unreadable cache entry is recomputed and replaced.
      }
    }
    Backtest.Report r = Backtest.run(log, calibrationEnd, holdoutEnd, training.settings());
    List<ReportData.ModelRow> rows = new ArrayList<>();
    List<ReportData.Gains> gains = new ArrayList<>();
    List<ReportData.Decile> deciles = new ArrayList<>();
    for (Backtest.ModelResult m : r.models()) {
      Metrics h = m.holdout();
      rows.add(new ReportData.ModelRow(m.algorithm(), h.spearman(), h.normalizedGini(), h.topDecileCapture(), h.mae(),
          h.rmse(), h.predictedTotal(), h.actualTotal()));
      gains.add(new ReportData.Gains(m.algorithm(), m.curves().gains()));
      if (m.algorithm().equals(r.champion())) {
        for (int d = 0; d < 10; d++) {
          deciles.add(new ReportData.Decile(d + 1, m.curves().predictedByDecile()[d], m.curves().actualByDecile()[d]));
        }
      }
    }
    HoldoutEvaluation e =
        new HoldoutEvaluation(calibrationEnd, holdoutEnd, r.champion(), rows, gains, deciles, false);
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
}
