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
 * baseline's answer stands. The score may also lean on the naive repeat-rate model (the customer's past spend rate
 * times the horizon, {@link NaiveValueModel}): {@code (1 - blend) * score + blend * log(1 + naive)}, with the blend
 * weight chosen on the validation window too (0 = none). The score's back-transform predicts something like a median,
 * far below the mean for customers who mostly buy nothing, so an {@link IsotonicMap} fitted on the training rows turns
 * it into expected spend: it keeps the score's order and makes each score level's prediction the mean of what customers
 * with that score spent.
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
  /** Weight of the naive repeat-rate term in the score (0 in models saved before it). */
  private double blend;
  /** Mean of the naive term over the training rows: the zero of its push in the reasons. */
  private double blendMean;

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
    double own = BtydFeatures.offset(input) + correction * learned(input);
    if (blend == 0) {
      return own;
    }
    return (1 - blend) * own + blend * naiveTerm(input);
  }

  /**
   * The naive repeat-rate model's prediction over the training horizon, {@code log(1 + spend_rate_30d * days / 30)}:
   * the customer's past net spend rate carried forward ({@link NaiveValueModel}).
   */
  double naiveTerm(double[] input) {
    return Math.log1p(Math.max(0, input[BtydFeatures.spendRateIndex()]) * trainingHorizonDays / 30);
  }

  /** The weight of the naive term in the score (see {@link #tuned(LearnedModel, TrainingSet, double, double)}). */
  public double blend() {
    return blend;
  }

  /** The naive term's mean over the training rows. */
  double blendMean() {
    return blendMean;
  }

  /**
   * The model with correction weight {@code weight} and its score-to-spend map fitted on the training rows (bins of
   * 1% of the rows, at least 30).
   */
  static LearnedModel tuned(LearnedModel m, TrainingSet set, double weight) {
    return tuned(m, set, weight, 0);
  }

  /**
   * The model with correction weight {@code weight}, the naive term's weight {@code blend} and its score-to-spend map
   * fitted on the training rows.
   */
  static LearnedModel tuned(LearnedModel m, TrainingSet set, double weight, double blend) {
    if (!(blend >= 0 && blend < 1)) {
      throw new IllegalArgumentException("blend weight must be in [0, 1), got " + blend);
    }
    LearnedModel w = m.with(weight, null);
    w.blend = blend;
    double[] scores = new double[set.size()];
    double naive = 0;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = w.score(set.x()[i]);
      naive += w.naiveTerm(set.x()[i]) / scores.length;
    }
    LearnedModel out = m.with(weight, IsotonicMap.fit(scores, set.spend(), Math.max(30, set.size() / 100)));
    out.blend = blend;
    out.blendMean = naive;
    return out;
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
    m.blend = blend;
    m.blendMean = blendMean;
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
    double spend = Math.max(0, calibration.apply(score(in))) * horizonFactor(features);
    if (spendCalibration != null) {
      spend *= spendCalibration.scale();
    }
    return new Prediction(spend, probability(features, in));
  }

  /** What takes spend from the training horizon to the model's own: the ratio of BG/NBD's expected purchases. */
  private double horizonFactor(double[] features) {
    if (horizonDays != trainingHorizonDays) {
      double base = btyd.expectedPurchases(features, trainingHorizonDays);
      double target = btyd.expectedPurchases(features, horizonDays);
      if (base > 0) {
        return target / base;
      }
    }
    return 1;
  }

  /** The probability of a purchase over the model's horizon, from a feature vector and its model input. */
  private double probability(double[] features, double[] in) {
    double p = Math.min(1, Math.max(0, rawProbability(in)));
    if (horizonDays != trainingHorizonDays) {
      double pb = btyd.probabilityOfPurchase(features, trainingHorizonDays);
      double pt = btyd.probabilityOfPurchase(features, horizonDays);
      if (pb > 0 && pb < 1 && pt < 1) {
        // same hazard ratio as BG/NBD: (1 - p_H) = (1 - p_h)^k
        double k = Math.log1p(-pt) / Math.log1p(-pb);
        p = 1 - Math.pow(1 - p, k);
      }
    }
    return p;
  }

  /**
   * Every (correction, blend) variant of one model on the same customers, at the cost of one pass of the model: the
   * parts of the score that do not depend on the two weights (BG/NBD's offset, the learned correction, the naive term)
   * are computed once, for the training rows (the score-to-spend map of each variant) and for the customers to
   * predict. Each variant's predictions are the same, to the last bit, as those of {@link #tuned(LearnedModel,
   * TrainingSet, double, double)}'s model; the trainer tries every pair of weights on the validation window with it.
   */
  static final class Variants {
    private final TrainingSet set;
    private final double[][] training;
    private final double[][] customers;
    private final double[] factor;
    private final double[] probability;

    Variants(LearnedModel m, TrainingSet set, double[][] features) {
      this.set = set;
      this.training = new double[set.size()][];
      java.util.stream.IntStream.range(0, set.size()).parallel().forEach(i -> training[i] = parts(m, set.x()[i]));
      this.customers = new double[features.length][];
      this.factor = new double[features.length];
      this.probability = new double[features.length];
      java.util.stream.IntStream.range(0, features.length).parallel().forEach(i -> {
        double[] in = m.input(features[i]);
        customers[i] = parts(m, in);
        factor[i] = m.horizonFactor(features[i]);
        probability[i] = m.probability(features[i], in);
      });
    }

    private static double[] parts(LearnedModel m, double[] in) {
      return new double[] {BtydFeatures.offset(in), m.learned(in), m.naiveTerm(in)};
    }

    /** The same arithmetic as {@link LearnedModel#score(double[])}. */
    private static double score(double[] parts, double weight, double blend) {
      double own = parts[0] + weight * parts[1];
      return blend == 0 ? own : (1 - blend) * own + blend * parts[2];
    }

    /** The predicted spend of every customer with correction {@code weight} and naive {@code blend}. */
    double[] spend(double weight, double blend) {
      double[] scores = new double[training.length];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = score(training[i], weight, blend);
      }
      IsotonicMap map = IsotonicMap.fit(scores, set.spend(), Math.max(30, set.size() / 100));
      double[] spend = new double[customers.length];
      for (int i = 0; i < spend.length; i++) {
        spend[i] = Math.max(0, map.apply(score(customers[i], weight, blend))) * factor[i];
      }
      return spend;
    }

    /** Every customer's probability of a purchase (the weights do not change it). */
    double[] probability() {
      return probability.clone();
    }
  }
}
