package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.eval.ModelMetrics;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The learned models' correction weight and naive blend, as chosen on the validation window. */
class CorrectionChoiceTest {

  private static ModelMetrics scored(double spearman, double gini) {
    double nan = Double.NaN;
    return new ModelMetrics(100, spearman, gini, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan);
  }

  private static final List<double[]> TRIES =
      List.of(new double[] {0.5, 0.1}, new double[] {0.25, 0.2}, new double[] {1, 0}, new double[] {0.25, 0});

  @Test
  void withinTheToleranceTheSmallestCorrectionThenTheSmallestBlendIsKept() {
    // scores 0.50, 0.497, 0.503, 0.497: the best is the full correction; 0.25 is within 0.006 of it
    List<ModelMetrics> m = List.of(scored(0.4, 0.6), scored(0.4, 0.594), scored(0.4, 0.606), scored(0.4, 0.594));
    assertEquals(3, Trainer.regularized(TRIES, m, 0.006));
    // a tolerance of 0 keeps the best, and with 0.004 only 0.5 with a blend of 0.1 is near enough
    assertEquals(2, Trainer.regularized(TRIES, m, 0));
    assertEquals(0, Trainer.regularized(TRIES, m, 0.004));
  }

  @Test
  void aWindowWithoutFiguresKeepsTheFirstPair() {
    List<ModelMetrics> m = TRIES.stream().map(t -> scored(Double.NaN, Double.NaN)).toList();
    assertEquals(0, Trainer.regularized(TRIES, m, 0.005));
  }

  @Test
  void theTrainedModelsPredictionsAreMonotoneInItsScoreWhateverItsBlend() {
    Trainer.Result r = TestData.sampleTraining();
    LearnedModel gbt = (LearnedModel) r.candidate("gbt").model();
    FeatureTable table = FeatureTable.at(
        TestData.cdnowSample().upTo((int) r.calibrationEnd().toEpochDay()),
        (int) r.calibrationEnd().toEpochDay(), new FeatureBuilder(r.spec()));
    for (double blend : new double[] {gbt.blend(), 0.2}) {
      LearnedModel m =
          blend == gbt.blend() ? gbt : LearnedModel.tuned(gbt, trainingRows(r), gbt.correction(), blend);
      double[] score = new double[table.size()];
      double[] spend = new double[table.size()];
      for (int i = 0; i < table.size(); i++) {
        score[i] = m.score(m.input(table.row(i)));
        spend[i] = m.predict(table.row(i)).spend() / Math.max(1e-12, horizonRatio(m, table.row(i)));
      }
      Integer[] order = IntStream.range(0, score.length).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
      for (int k = 1; k < order.length; k++) {
        assertTrue(spend[order[k]] >= spend[order[k - 1]] - 1e-9,
            "blend " + blend + ": score " + score[order[k]] + " predicts " + spend[order[k]] + " below "
                + spend[order[k - 1]]);
      }
    }
  }

  @Test
  void everyVariantTriedInOnePassPredictsWhatItsTunedModelPredictsToTheLastBit() {
    Trainer.Result r = TestData.sampleTraining();
    LearnedModel gbt = (LearnedModel) r.candidate("gbt").model();
    TrainingSet rows = trainingRows(r);
    FeatureTable table = FeatureTable.at(
        TestData.cdnowSample().upTo((int) r.calibrationEnd().toEpochDay()),
        (int) r.calibrationEnd().toEpochDay(), new FeatureBuilder(r.spec()));
    // without the final calibration (totals and intervals), as the validation window sees it
    LearnedModel plain = LearnedModel.tuned(gbt, rows, 1, 0);
    LearnedModel.Variants variants = new LearnedModel.Variants(plain, rows, table.matrix());
    for (double w : new double[] {0.25, 1}) {
      for (double b : new double[] {0, 0.2}) {
        LearnedModel m = LearnedModel.tuned(plain, rows, w, b);
        double[] spend = new double[table.size()];
        double[] prob = new double[table.size()];
        m.predict(table.matrix(), spend, prob);
        assertTrue(Arrays.equals(spend, variants.spend(w, b)), "spend of correction " + w + ", blend " + b);
        assertTrue(Arrays.equals(prob, variants.probability()), "probability of correction " + w + ", blend " + b);
      }
    }
  }

  /** The BG/NBD time-profile factor a prediction of the model's horizon carries over its training horizon. */
  private static double horizonRatio(LearnedModel m, double[] row) {
    if (m.horizonDays() == m.trainingHorizonDays()) {
      return 1;
    }
    double base = m.btyd().expectedPurchases(row, m.trainingHorizonDays());
    return base > 0 ? m.btyd().expectedPurchases(row, m.horizonDays()) / base : 1;
  }

  private static TrainingSet trainingRows(Trainer.Result r) {
    return TrainingSet.build(
        TestData.cdnowSample().upTo((int) r.calibrationEnd().toEpochDay()), new FeatureBuilder(r.spec()),
        r.trainingPlan(), 50_000, 30_000, 20240611L);
  }
}
