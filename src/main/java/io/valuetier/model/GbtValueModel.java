package io.valuetier.model;

import io.valuetier.features.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntToDoubleFunction;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.ValueVector;
import smile.math.MathEx;
import smile.model.cart.Loss;
import smile.regression.GradientTreeBoost;

/**
 * Smile gradient tree boosting: a least-squares regression of {@code log(1 + spend)} over the training horizon, boosted
 * from the BG/NBD + Gamma-Gamma prediction (the trees learn the correction to {@link BtydFeatures#offset}), and a
 * binomial classifier of "buys again", both on the model input (behavioural and BTYD features). The trees are also kept
 * as a {@link FlatForest} for fast scoring and TreeSHAP reasons; the Smile models stay in the file as the reference.
 */
public final class GbtValueModel extends LearnedModel {
  private static final long serialVersionUID = 1L;

  private final GradientTreeBoost smileSpend;
  private final smile.classification.GradientTreeBoost smileBuy;
  private final FlatForest spend;
  private final FlatForest buy;
  private final double offsetMean;
  private final int[] columns;

  private GbtValueModel(
      FeatureSpec spec, BtydFeatures btyd, int trainingHorizonDays, int horizonDays, double correction, IsotonicMap calibration,
      GradientTreeBoost smileSpend, smile.classification.GradientTreeBoost smileBuy, FlatForest spend, FlatForest buy,
      double offsetMean, int[] columns) {
    super(spec, btyd, trainingHorizonDays, horizonDays, correction, calibration);
    this.smileSpend = smileSpend;
    this.smileBuy = smileBuy;
    this.spend = spend;
    this.buy = buy;
    this.offsetMean = offsetMean;
    this.columns = columns;
  }

  @Override
  public String algorithm() {
    return "gbt";
  }

  /** Trains both boosted models (in parallel, each seeded) on {@code set}. */
  public static GbtValueModel fit(
      TrainingSet set, BtydFeatures btydAtCutoff, FeatureSpec spec, int horizonDays, ModelSettings s) {
    // Columns that never vary in the training rows cannot split; leaving them out saves their scan in every node.
    int[] used = varying(set.x());
    List<String> all = BtydFeatures.inputNames();
    String[] names = Arrays.stream(used).mapToObj(all::get).toArray(String[]::new);
    double[][] xs = new double[set.size()][used.length];
    for (int i = 0; i < xs.length; i++) {
      for (int j = 0; j < used.length; j++) {
        xs[i][j] = set.x()[i][used[j]];
      }
    }
    int n = set.size();
    double[] logSpend = new double[n];
    int[] bought = new int[n];
    double offsetMean = 0;
    for (int i = 0; i < n; i++) {
      offsetMean += BtydFeatures.offset(set.x()[i]) / n;
      logSpend[i] = Math.log1p(Math.max(0, set.spend()[i])) - BtydFeatures.offset(set.x()[i]);
      bought[i] = set.buys()[i] ? 1 : 0;
    }
    DataFrame x = DataFrame.of(xs, names);
    DataFrame regression = x.add(ValueVector.of("y", logSpend));
    DataFrame classification = DataFrame.of(xs, names).add(ValueVector.of("y", bought));
    Formula formula = Formula.lhs("y");
    var spendOptions =
        new GradientTreeBoost.Options(
            Loss.ls(), s.gbtTrees(), s.gbtMaxDepth(), s.gbtMaxNodes(), s.gbtNodeSize(), s.gbtShrinkage(),
            s.gbtSubsample(), null, null);
    var buyOptions =
        new smile.classification.GradientTreeBoost.Options(
            s.gbtTrees(), s.gbtMaxDepth(), s.gbtMaxNodes(), s.gbtNodeSize(), s.gbtShrinkage(), s.gbtSubsample(), null,
            null);
    ExecutorService pool = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("gbt-fit-", 0).daemon().factory());
    try {
      CompletableFuture<GradientTreeBoost> spendFit =
          CompletableFuture.supplyAsync(
              () -> {
                MathEx.setSeed(s.seed());
                return GradientTreeBoost.fit(formula, regression, spendOptions);
              },
              pool);
      CompletableFuture<smile.classification.GradientTreeBoost> buyFit =
          CompletableFuture.supplyAsync(
              () -> {
                MathEx.setSeed(s.seed() + 1);
                return smile.classification.GradientTreeBoost.fit(formula, classification, buyOptions);
              },
              pool);
      GradientTreeBoost sm = spendFit.join();
      smile.classification.GradientTreeBoost bm = buyFit.join();
      FlatForest sf =
          flatten(sm.trees(), s.gbtShrinkage(), used, set.x(), i -> sm.predict(regression.get(i)));
      FlatForest bf =
          flatten(
              bm.trees()[0],
              s.gbtShrinkage(),
              used,
              set.x(),
              i -> {
                double[] post = new double[2];
                bm.predict(classification.get(i), post);
                return 0.5 * Math.log(post[1] / post[0]);
              });
      return (GbtValueModel)
          tuned(new GbtValueModel(spec, btydAtCutoff, set.horizonDays(), horizonDays, 1.0, null, sm, bm, sf, bf, offsetMean, used),
              set,
              1.0);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The input columns that take more than one value in {@code x}. */
  private static int[] varying(double[][] x) {
    int width = BtydFeatures.width();
    List<Integer> used = new ArrayList<>();
    for (int j = 0; j < width; j++) {
      for (int i = 1; i < x.length; i++) {
        if (x[i][j] != x[0][j]) {
          used.add(j);
          break;
        }
      }
    }
    if (used.isEmpty()) {
      used.add(0);
    }
    return used.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Copies the trees and checks on up to 200 rows that the copy predicts what Smile predicts. */
  private static FlatForest flatten(
      smile.regression.RegressionTree[] trees,
      double shrinkage,
      int[] columns,
      double[][] m,
      IntToDoubleFunction smilePrediction) {
    FlatForest zero = FlatForest.of(trees, shrinkage, 0, columns);
    double intercept = Double.NaN;
    for (int i = 0; i < m.length && Double.isNaN(intercept); i++) {
      double v = smilePrediction.applyAsDouble(i);
      if (Double.isFinite(v)) {
        intercept = v - zero.predict(m[i]);
      }
    }
    FlatForest f = FlatForest.of(trees, shrinkage, intercept, columns);
    int step = Math.max(1, m.length / 200);
    for (int i = 0; i < m.length; i += step) {
      double expected = smilePrediction.applyAsDouble(i);
      if (Double.isFinite(expected) && Math.abs(expected - f.predict(m[i])) > 1e-7 * Math.max(1, Math.abs(expected))) {
        throw new IllegalStateException(
            "the copied trees predict " + f.predict(m[i]) + " where Smile predicts " + expected + " (row " + i + ")");
      }
    }
    return f;
  }

  @Override
  double learned(double[] input) {
    return spend.predict(input);
  }

  @Override
  double rawProbability(double[] input) {
    return 1 / (1 + Math.exp(-2 * buy.predict(input)));
  }

  @Override
  GbtValueModel with(double weight, IsotonicMap map) {
    return new GbtValueModel(spec, btyd, trainingHorizonDays, horizonDays, weight, map, smileSpend, smileBuy, spend, buy,
        offsetMean, columns);
  }

  FlatForest spendForest() {
    return spend;
  }

  @Override
  public boolean explains() {
    return true;
  }

  @Override
  public List<Reason> explain(double[] features, int count) {
    double[] in = input(features);
    double[] phi = spend.shap(in, in.length);
    double own = 1 - blend();
    for (int j = 0; j < phi.length; j++) {
      phi[j] *= own * correction;
    }
    // the starting point log(1 + btyd_expected_value) is the BTYD feature's own push, the naive term spend_rate_30d's
    phi[BtydFeatures.valueIndex()] += own * (BtydFeatures.offset(in) - offsetMean);
    if (blend() > 0) {
      phi[BtydFeatures.spendRateIndex()] += blend() * (naiveTerm(in) - blendMean());
    }
    List<String> names = BtydFeatures.inputNames();
    List<Reason> reasons = new ArrayList<>(count);
    boolean[] taken = new boolean[phi.length];
    for (int k = 0; k < count; k++) {
      int best = -1;
      for (int j = 0; j < phi.length; j++) {
        if (!taken[j] && phi[j] != 0 && (best < 0 || Math.abs(phi[j]) > Math.abs(phi[best]))) {
          best = j;
        }
      }
      if (best < 0) {
        break;
      }
      taken[best] = true;
      reasons.add(
          new Reason(names.get(best), in[best], phi[best], trainingHorizonDays));
    }
    return reasons;
  }
}
