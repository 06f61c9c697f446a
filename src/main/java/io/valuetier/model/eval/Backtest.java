package io.valuetier.model.eval;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.Targets;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The calibration/holdout backtest: every algorithm is trained by the {@link Trainer} on data up to the calibration
 * end (the champion is chosen there, on its validation window), then predicts the holdout {@code (calibration end,
 * holdout end]} for every customer who had bought by the calibration end, and is compared with what they spent.
 */
public final class Backtest {
  private Backtest() {}

  /**
   * One algorithm's figures.
   *
   * @param algorithm the algorithm
   * @param holdout metrics on the holdout
   * @param validation metrics on the validation window (what the champion was chosen on)
   * @param trainingSeconds time to train the final model
   */
  public record ModelResult(
      String algorithm, Metrics holdout, Metrics validation, double trainingSeconds) {}

  /**
   * The backtest's outcome.
   *
   * @param calibrationEnd last day the models saw
   * @param holdoutEnd last day of the holdout
   * @param horizonDays holdout length
   * @param training what the trainer did
   * @param models one per algorithm
   * @param champion the algorithm chosen on the validation window
   * @param seconds wall time of the whole backtest
   */
  public record Report(
      LocalDate calibrationEnd,
      LocalDate holdoutEnd,
      int horizonDays,
      Trainer.Result training,
      List<ModelResult> models,
      String champion,
      double seconds) {

    public ModelResult model(String algorithm) {
      return models.stream().filter(m -> m.algorithm().equals(algorithm)).findFirst().orElseThrow();
    }
  }

  public static Report run(CustomerLog log, LocalDate calibrationEnd, LocalDate holdoutEnd, ModelSettings settings) {
    long t0 = System.nanoTime();
    int horizon = (int) ChronoUnit.DAYS.between(calibrationEnd, holdoutEnd);
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "the holdout end " + holdoutEnd + " must be after the calibration end " + calibrationEnd);
    }
    if (holdoutEnd.toEpochDay() > log.lastDay()) {
      throw new IllegalArgumentException(
          "the data ends on " + log.lastDate() + ", before the holdout end " + holdoutEnd
              + ": the missing days would count as no purchase");
    }
    Trainer.Result training = new Trainer(settings.withHorizon(horizon)).train(log, calibrationEnd);
    FeatureTable table = FeatureTable.at(log, (int) calibrationEnd.toEpochDay(), new FeatureBuilder(training.spec()));
    Targets actual = Targets.of(table, horizon);
    List<ModelResult> results = new ArrayList<>();
    for (Trainer.Candidate c : training.candidates()) {
      double[] spend = new double[table.size()];
      double[] prob = new double[table.size()];
      c.model().predict(table.matrix(), spend, prob);
      results.add(
          new ModelResult(
              c.algorithm(), Metrics.of(spend, actual.spend(), prob, actual.buys()), c.validation(), c.seconds()));
    }
    return new Report(
        calibrationEnd, holdoutEnd, horizon, training, List.copyOf(results), training.champion(),
        (System.nanoTime() - t0) / 1e9);
  }
}
