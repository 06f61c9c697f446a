package io.valuetier.model;

import io.valuetier.features.FeatureSpec;

/**
 * What the learned models share: they read the behavioural features plus the {@link BtydFeatures} of the cutoff,
 * learn spend and purchase over the training horizon, and reach their own horizon through the BG/NBD time profile of
 * each customer.
 *
 * <p>Spend is learned as a correction to BG/NBD + Gamma-Gamma: the score is {@code log(1 + btyd_expected_value) +
 * correction * learned(x)}, where {@code learned} is fitted to {@code log(1 + spend) - log(1 + btyd_expected_value)}
 * and the correction weight (0..1) is chosen on the validation window; where the features add nothing new, the
 * baseline's answer stands. The score's back-transform predicts something like a median, far below the mean for
 * customers who mostly buy nothing, so an {@link IsotonicMap} fitted on the training rows turns it into expected
 * spend: it keeps the score's order and makes each score level's prediction the mean of what customers with that
 * score spent.
 */
abstract class LearnedModel implements ValueModel {
  private static final long serialVersionUID = 1L;

  protected final FeatureSpec spec;
  protected final BtydFeatures btyd;
  protected final int trainingHorizonDays;
  protected final int horizonDays;
  protected final double correction;
  protected final IsotonicMap calibration;
  /** Totals and intervals from the validation window; set once by the trainer, null in models saved before it. */
  private SpendCalibration spendCalibration;

  LearnedModel(
      FeatureSpec spec,
      BtydFeatures btyd,
      int trainingHorizonDays,
      int horizonDays,
      double correction,
      IsotonicMap calibration) {
    if (!(correction >= 0 && correction <= 1)) {
      throw new IllegalArgumentException("correction weight must be in 0..1, got " + correction);
    }
    this.spec = spec;
    this.btyd = btyd;
    this.trainingHorizonDays = trainingHorizonDays;
    this.horizonDays = horizonDays;
    this.correction = correction;
    this.calibration = calibration;
  }

  /** The learned correction, in {@code log(1 + spend)} units, for a model input. */
  abstract double learned(double[] input);

  /** Probability of a purchase over the training horizon from a model input. */
  abstract double rawProbability(double[] input);

  /** The same model with another correction weight and calibration. */
  abstract LearnedModel with(double correction, IsotonicMap calibration);

  /** The spend score of a model input: {@code log(1 + spend)} over the training horizon. */
  double score(double[] input) {
    return BtydFeatures.offset(input) + correction * learned(input);
  }

  /**
   * The model with correction weight {@code weight} and its score-to-spend map fitted on the training rows (bins of
   * 1% of the rows, at least 30).
   */
  static LearnedModel tuned(LearnedModel m, TrainingSet set, double weight) {
    LearnedModel w = m.with(weight, null);
    double[] scores = new double[set.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = w.score(set.x()[i]);
    }
    return m.with(weight, IsotonicMap.fit(scores, set.spend(), Math.max(30, set.size() / 100)));
  }

  @Override
  public FeatureSpec featureSpec() {
    return spec;
  }

  @Override
  public int horizonDays() {
    return horizonDays;
  }

  public int trainingHorizonDays() {
    return trainingHorizonDays;
  }

  /** The weight of the learned correction to the BTYD baseline (chosen on the validation window). */
  public double correction() {
    return correction;
  }

  public IsotonicMap calibration() {
    return calibration;
  }

  public BtydFeatures btyd() {
    return btyd;
  }

  /** The same model with its totals and intervals calibrated (see {@link SpendCalibration}). */
  LearnedModel calibrated(SpendCalibration c) {
    LearnedModel m = with(correction, calibration);
    m.spendCalibration = c;
    return m;
  }

  /** The calibration of totals and intervals, or null for a model trained before it existed. */
  public SpendCalibration spendCalibration() {
    return spendCalibration;
  }

  @Override
  public double[] interval(double spend, double probability) {
    return spendCalibration == null ? null : spendCalibration.interval(spend, probability);
  }

  /** The model input of a feature vector. */
  double[] input(double[] features) {
    return btyd.input(features, trainingHorizonDays);
  }

  @Override
  public Prediction predict(double[] features) {
    double[] in = input(features);
    double spend = Math.max(0, calibration.apply(score(in)));
    double p = Math.min(1, Math.max(0, rawProbability(in)));
    if (horizonDays != trainingHorizonDays) {
      double base = btyd.expectedPurchases(features, trainingHorizonDays);
      double target = btyd.expectedPurchases(features, horizonDays);
      if (base > 0) {
        spend *= target / base;
      }
      double pb = btyd.probabilityOfPurchase(features, trainingHorizonDays);
      double pt = btyd.probabilityOfPurchase(features, horizonDays);
      if (pb > 0 && pb < 1 && pt < 1) {
        // same hazard ratio as BG/NBD: (1 - p_H) = (1 - p_h)^k
        double k = Math.log1p(-pt) / Math.log1p(-pb);
        p = 1 - Math.pow(1 - p, k);
      }
    }
    if (spendCalibration != null) {
      spend *= spendCalibration.scale();
    }
    return new Prediction(spend, p);
  }
}
