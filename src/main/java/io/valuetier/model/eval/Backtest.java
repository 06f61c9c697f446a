package io.valuetier.model.eval;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.Targets;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import io.valuetier.model.ValueModel;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
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
   * @param intervalCoverage share of the holdout customers whose actual spend fell within their prediction interval
   *     (NaN for models without intervals)
   */
  public record ModelResult(
      String algorithm, ModelMetrics holdout, ModelMetrics validation, double trainingSeconds, Curves curves,
      double intervalCoverage) {}

  /** Share of customers whose actual spend lies within the model's interval around their prediction; NaN if none. */
  static double coverage(ValueModel model, double[] spend, double[] probability, double[] actual) {
    int inside = 0;
    for (int i = 0; i < spend.length; i++) {
      double[] iv = model.interval(spend[i], probability[i]);
      if (iv == null) {
        return Double.NaN;
      }
      if (actual[i] >= iv[0] && actual[i] <= iv[1]) {
        inside++;
      }
    }
    return spend.length == 0 ? Double.NaN : (double) inside / spend.length;
  }

  /**
   * The holdout as curves for the report.
   *
   * @param gains for the top {@code x}% of customers by prediction (x = 0, 5, ..., 100), the % of actual holdout spend
   *     they made: pairs {x, y}
   * @param predictedByDecile mean predicted holdout spend per decile of prediction (decile 1 = highest)
   * @param actualByDecile mean actual holdout spend in the same deciles
   */
  public record Curves(List<double[]> gains, double[] predictedByDecile, double[] actualByDecile) {

    /** The curves of one model's predictions against the actual spend. */
    public static Curves of(double[] predicted, double[] actual) {
      int n = predicted.length;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(predicted[b], predicted[a]));
      double total = 0;
      for (double a : actual) {
        total += Math.max(0, a);
      }
      List<double[]> gains = new ArrayList<>();
      gains.add(new double[] {0, 0});
      double cum = 0;
      int next = 1;
      for (int k = 0; k < n; k++) {
        cum += Math.max(0, actual[order[k]]);
        while (next <= 20 && (k + 1) >= Math.round(n * next / 20.0)) {
          gains.add(new double[] {next * 5.0, total > 0 ? 100 * cum / total : 0});
          next++;
        }
      }
      double[] pd = new double[10];
      double[] ad = new double[10];
      int[] count = new int[10];
      for (int k = 0; k < n; k++) {
        int d = Math.min(9, (int) ((long) k * 10 / Math.max(1, n)));
        pd[d] += predicted[order[k]];
        ad[d] += actual[order[k]];
        count[d]++;
      }
      for (int d = 0; d < 10; d++) {
        if (count[d] > 0) {
          pd[d] /= count[d];
          ad[d] /= count[d];
        }
      }
      return new Curves(List.copyOf(gains), pd, ad);
    }
  }

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
              c.algorithm(), ModelMetrics.of(spend, actual.spend(), prob, actual.buys()), c.validation(), c.seconds(),
              Curves.of(spend, actual.spend()), coverage(c.model(), spend, prob, actual.spend())));
    }
    return new Report(
        calibrationEnd, holdoutEnd, horizon, training, List.copyOf(results), training.champion(),
        (System.nanoTime() - t0) / 1e9);
  }
}
