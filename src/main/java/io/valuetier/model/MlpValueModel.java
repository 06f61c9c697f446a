package io.valuetier.model;

import io.valuetier.features.FeatureSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import smile.math.MathEx;
import smile.model.mlp.Layer;
import smile.model.mlp.LayerBuilder;
import smile.model.mlp.OutputFunction;
import smile.util.function.TimeFunction;

/**
 * Two Smile multilayer perceptrons (ReLU hidden layers) on standardised inputs: a regression of the standardised
 * correction {@code log(1 + spend) - log(1 + btyd_expected_value)} (see {@link LearnedModel}) and a sigmoid classifier
 * of "buys again". Inputs are first compressed with
 * {@code sign(v) log(1 + |v|)} (spend and counts are heavy-tailed), then standardised with the training mean and
 * standard deviation, and kept within the range seen in training.
 */
public final class MlpValueModel extends LearnedModel {
  private static final long serialVersionUID = 1L;

  private final smile.regression.MLP spendNet;
  private final smile.classification.MLP buyNet;
  private final double[] mean;
  private final double[] scale;
  private final double targetMean;
  private final double targetScale;
  private final double[] low;
  private final double[] high;

  private MlpValueModel(
      FeatureSpec spec, BtydFeatures btyd, int trainingHorizonDays, int horizonDays, double correction, IsotonicMap calibration,
      smile.regression.MLP spendNet, smile.classification.MLP buyNet, double[] mean, double[] scale, double targetMean,
      double targetScale, double[] low, double[] high) {
    super(spec, btyd, trainingHorizonDays, horizonDays, correction, calibration);
    this.spendNet = spendNet;
    this.buyNet = buyNet;
    this.mean = mean;
    this.scale = scale;
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.low = low;
    this.high = high;
  }

  @Override
  public String algorithm() {
    return "mlp";
  }

  private static double squash(double v) {
    return Math.signum(v) * Math.log1p(Math.abs(v));
  }

  /** Compressed, standardised and kept within the training range (a network extrapolates linearly, far and wrong). */
  private double[] standardise(double[] input) {
    double[] z = new double[input.length];
    for (int j = 0; j < input.length; j++) {
      z[j] = Math.min(high[j], Math.max(low[j], (squash(input[j]) - mean[j]) / scale[j]));
    }
    return z;
  }

  /** Trains both networks (in parallel, each seeded) on {@code set}. */
  public static MlpValueModel fit(
      TrainingSet set, BtydFeatures btydAtCutoff, FeatureSpec spec, int horizonDays, ModelSettings s) {
    int n = set.size();
    int p = BtydFeatures.width();
    double[] mean = new double[p];
    double[] scale = new double[p];
    double[][] z = new double[n][p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        z[i][j] = squash(set.x()[i][j]);
        mean[j] += z[i][j] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        double d = z[i][j] - mean[j];
        scale[j] += d * d / n;
      }
    }
    for (int j = 0; j < p; j++) {
      scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1;
    }
    double[] low = new double[p];
    double[] high = new double[p];
    Arrays.fill(low, Double.POSITIVE_INFINITY);
    Arrays.fill(high, Double.NEGATIVE_INFINITY);
    for (double[] row : z) {
      for (int j = 0; j < p; j++) {
        row[j] = (row[j] - mean[j]) / scale[j];
        low[j] = Math.min(low[j], row[j]);
        high[j] = Math.max(high[j], row[j]);
      }
    }
    double[] y = new double[n];
    int[] bought = new int[n];
    double ym = 0;
    for (int i = 0; i < n; i++) {
      y[i] = Math.log1p(Math.max(0, set.spend()[i])) - BtydFeatures.offset(set.x()[i]);
      ym += y[i] / n;
      bought[i] = set.buys()[i] ? 1 : 0;
    }
    double yv = 0;
    for (int i = 0; i < n; i++) {
      yv += (y[i] - ym) * (y[i] - ym) / n;
    }
    double ys = yv > 1e-12 ? Math.sqrt(yv) : 1;
    for (int i = 0; i < n; i++) {
      y[i] = (y[i] - ym) / ys;
    }
    ExecutorService pool = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("mlp-fit-", 0).daemon().factory());
    try {
      CompletableFuture<smile.regression.MLP> spendFit =
          CompletableFuture.supplyAsync(
              () -> {
                MathEx.setSeed(s.seed());
                smile.regression.MLP net =
                    new smile.regression.MLP(layers(p, s, Layer.mse(1, OutputFunction.LINEAR)));
                net.setLearningRate(TimeFunction.constant(s.mlpLearningRate()));
                train(s, z, i -> net.update(i.x, i.y), y, null, s.seed());
                return net;
              },
              pool);
      CompletableFuture<smile.classification.MLP> buyFit =
          CompletableFuture.supplyAsync(
              () -> {
                MathEx.setSeed(s.seed() + 1);
                smile.classification.MLP net =
                    new smile.classification.MLP(layers(p, s, Layer.mle(1, OutputFunction.SIGMOID)));
                net.setLearningRate(TimeFunction.constant(s.mlpLearningRate()));
                train(s, z, i -> net.update(i.x, i.labels), null, bought, s.seed() + 1);
                return net;
              },
              pool);
      return (MlpValueModel)
          tuned(
              new MlpValueModel(
                  spec, btydAtCutoff, set.horizonDays(), horizonDays, 1.0, null, spendFit.join(), buyFit.join(), mean, scale,
                  ym, ys, low, high),
              set,
              1.0);
    } finally {
      pool.shutdownNow();
    }
  }

  private static LayerBuilder[] layers(int inputs, ModelSettings s, LayerBuilder output) {
    LayerBuilder[] b = new LayerBuilder[s.mlpLayers().length + 2];
    b[0] = Layer.input(inputs);
    for (int k = 0; k < s.mlpLayers().length; k++) {
      b[k + 1] = Layer.rectifier(s.mlpLayers()[k]);
    }
    b[b.length - 1] = output;
    return b;
  }

  private record Batch(double[][] x, double[] y, int[] labels) {}

  /** Mini-batch epochs over a seeded shuffle. */
  private static void train(
      ModelSettings s, double[][] z, Consumer<Batch> update, double[] y, int[] labels, long seed) {
    int n = z.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int size = Math.min(s.mlpBatchSize(), n);
    for (int epoch = 0; epoch < s.mlpEpochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int from = 0; from + size <= n; from += size) {
        double[][] bx = new double[size][];
        double[] by = y == null ? null : new double[size];
        int[] bl = labels == null ? null : new int[size];
        for (int k = 0; k < size; k++) {
          int r = order[from + k];
          bx[k] = z[r];
          if (by != null) {
            by[k] = y[r];
          }
          if (bl != null) {
            bl[k] = labels[r];
          }
        }
        update.accept(new Batch(bx, by, bl));
      }
    }
  }

  @Override
  double learned(double[] input) {
    return targetMean + targetScale * spendNet.predict(standardise(input));
  }

  @Override
  double rawProbability(double[] input) {
    double[] post = new double[2];
    buyNet.predict(standardise(input), post);
    return post[1];
  }

  @Override
  MlpValueModel with(double weight, IsotonicMap map) {
    return new MlpValueModel(
        spec, btyd, trainingHorizonDays, horizonDays, weight, map, spendNet, buyNet, mean, scale, targetMean,
        targetScale, low, high);
  }
}
