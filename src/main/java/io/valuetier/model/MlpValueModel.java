package io.valuetier.model;

import io.valuetier.features.FeatureSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.IntStream;
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
 * standard deviation, and kept within the range seen in training. Trained with what a tabular network needs: mini-batch
 * SGD with a cosine learning-rate schedule (from {@code valuetier.model.mlp.learning-rate} down to a hundredth of it),
 * weight decay ({@code valuetier.model.mlp.weight-decay}), and early stopping on a time split (the latest training
 * snapshot's rows), which chooses the number of epochs.
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
  private final int spendEpochs;
  private final int buyEpochs;

  /** Fewest rows on either side of the early-stopping split. */
  static final int MIN_SPLIT_ROWS = 200;

  private MlpValueModel(
      FeatureSpec spec, BtydFeatures btyd, int trainingHorizonDays, int horizonDays, double correction, IsotonicMap calibration,
      smile.regression.MLP spendNet, smile.classification.MLP buyNet, double[] mean, double[] scale, double targetMean,
      double targetScale, double[] low, double[] high, int spendEpochs, int buyEpochs) {
    super(spec, btyd, trainingHorizonDays, horizonDays, correction, calibration);
    this.spendEpochs = spendEpochs;
    this.buyEpochs = buyEpochs;
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

  /** Epochs the spend network was trained for (chosen by early stopping; 0 for a model saved before it). */
  public int spendEpochs() {
    return spendEpochs;
  }

  /** Epochs the buy-again network was trained for (chosen by early stopping; 0 for a model saved before it). */
  public int buyEpochs() {
    return buyEpochs;
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
    boolean[] held = heldOut(set);
    int batches = Math.max(1, n / Math.min(s.mlpBatchSize(), n));
    TimeFunction rate = TimeFunction.cosine(
        s.mlpLearningRate() / 100, (double) s.mlpEpochs() * batches, s.mlpLearningRate());
    ExecutorService pool = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("mlp-fit-", 0).daemon().factory());
    try {
      CompletableFuture<Fitted<smile.regression.MLP>> spendFit =
          CompletableFuture.supplyAsync(
              () -> fitted(s, z, held, s.seed(), () -> {
                smile.regression.MLP net = new smile.regression.MLP(layers(p, s, Layer.mse(1, OutputFunction.LINEAR)));
                net.setLearningRate(rate);
                net.setWeightDecay(s.mlpWeightDecay());
                return net;
              }, (net, b) -> net.update(b.x, b.y), (net, i) -> square(net.predict(z[i]) - y[i]), y, null),
              pool);
      CompletableFuture<Fitted<smile.classification.MLP>> buyFit =
          CompletableFuture.supplyAsync(
              () -> fitted(s, z, held, s.seed() + 1, () -> {
                smile.classification.MLP net =
                    new smile.classification.MLP(layers(p, s, Layer.mle(1, OutputFunction.SIGMOID)));
                net.setLearningRate(rate);
                net.setWeightDecay(s.mlpWeightDecay());
                return net;
              }, (net, b) -> net.update(b.x, b.labels), (net, i) -> logLoss(net, z[i], bought[i]), null, bought),
              pool);
      Fitted<smile.regression.MLP> spend = spendFit.join();
      Fitted<smile.classification.MLP> buy = buyFit.join();
      return (MlpValueModel)
          tuned(
              new MlpValueModel(
                  spec, btydAtCutoff, set.horizonDays(), horizonDays, 1.0, null, spend.net(), buy.net(), mean, scale,
                  ym, ys, low, high, spend.epochs(), buy.epochs()),
              set,
              1.0);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A network and the epochs it was trained for. */
  private record Fitted<N>(N net, int epochs) {}

  /**
   * The rows of the latest snapshot, held out to choose the number of epochs (a time split), or none when there is
   * one snapshot or either side would have fewer than {@link #MIN_SPLIT_ROWS} rows.
   */
  static boolean[] heldOut(TrainingSet set) {
    boolean[] held = new boolean[set.size()];
    int last = set.snapshots().size() - 1;
    int count = 0;
    for (int i = 0; i < held.length; i++) {
      held[i] = set.snapshot()[i] == last;
      count += held[i] ? 1 : 0;
    }
    if (last == 0 || count < MIN_SPLIT_ROWS || held.length - count < MIN_SPLIT_ROWS) {
      return new boolean[set.size()];
    }
    return held;
  }

  /**
   * Early stopping on the time split: a network trained on the earlier snapshots' rows, scored after every epoch on
   * the latest snapshot's, stops when {@code valuetier.model.mlp.patience} epochs in a row did not improve its loss
   * there; then a new network (same seed) is trained on every row for the best number of epochs. Without a split it
   * trains for {@code valuetier.model.mlp.epochs}.
   */
  private static <N> Fitted<N> fitted(
      ModelSettings s, double[][] z, boolean[] held, long seed, Supplier<N> create, BiConsumer<N, Batch> update,
      ToDoubleBiFunction<N, Integer> loss, double[] y, int[] labels) {
    int epochs = s.mlpEpochs();
    int[] validation = rows(held, true);
    if (validation.length > 0) {
      MathEx.setSeed(seed);
      N probe = create.get();
      int[] train = rows(held, false);
      double best = Double.POSITIVE_INFINITY;
      int bestEpoch = 1;
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int epoch = 1; epoch <= s.mlpEpochs() && epoch - bestEpoch <= s.mlpPatience(); epoch++) {
        epoch(s, z, train, rnd, b -> update.accept(probe, b), y, labels);
        double l = 0;
        for (int i : validation) {
          l += loss.applyAsDouble(probe, i);
        }
        if (l < best) {
          best = l;
          bestEpoch = epoch;
        }
      }
      epochs = bestEpoch;
    }
    MathEx.setSeed(seed);
    N net = create.get();
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] all = IntStream.range(0, held.length).toArray();
    for (int epoch = 0; epoch < epochs; epoch++) {
      epoch(s, z, all, rnd, b -> update.accept(net, b), y, labels);
    }
    return new Fitted<>(net, epochs);
  }

  /** The row numbers where {@code held} is {@code which}. */
  private static int[] rows(boolean[] held, boolean which) {
    return IntStream.range(0, held.length).filter(i -> held[i] == which).toArray();
  }

  private static double square(double v) {
    return v * v;
  }

  private static double logLoss(smile.classification.MLP net, double[] z, int label) {
    double[] post = new double[2];
    net.predict(z, post);
    return -Math.log(Math.max(1e-12, post[label]));
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

  /** One mini-batch epoch over a seeded shuffle of {@code rows}. */
  private static void epoch(
      ModelSettings s, double[][] z, int[] rows, SplittableRandom rnd, Consumer<Batch> update, double[] y,
      int[] labels) {
    int n = rows.length;
    int[] order = rows.clone();
    int size = Math.min(s.mlpBatchSize(), n);
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
        targetScale, low, high, spendEpochs, buyEpochs);
  }
}
