package io.valuetier.model;

import io.valuetier.features.FeatureSpec;
import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The ML plug-in interface: a model that predicts, from a customer's feature vector at a cutoff (see
 * {@link io.valuetier.features.Feature}), the customer's net spend over the next {@link #horizonDays()} days and the
 * probability that they buy at all. Implementations are immutable, thread-safe and serializable; scoring one customer
 * needs only that customer's features.
 */
public interface ValueModel extends Serializable {

  /** The algorithm: {@code gbt}, {@code mlp}, {@code btyd} or {@code naive}. */
  String algorithm();

  /** How the features this model reads were computed. */
  FeatureSpec featureSpec();

  /** The days after the cutoff that the predictions cover. */
  int horizonDays();

  /** Scores one customer. */
  Prediction predict(double[] features);

  /** Scores many customers (in parallel); {@code spend} and {@code probability} receive one value per row. */
  default void predict(double[][] features, double[] spend, double[] probability) {
    IntStream.range(0, (features.length + 1023) / 1024)
        .parallel()
        .forEach(
            block -> {
              int end = Math.min(features.length, (block + 1) * 1024);
              for (int i = block * 1024; i < end; i++) {
                Prediction p = predict(features[i]);
                spend[i] = p.spend();
                probability[i] = p.probability();
              }
            });
  }

  /**
   * The prediction interval {@code {low, high}} around a predicted spend of this model and its probability of a
   * purchase (see {@link SpendCalibration}), or null when the model has none (the baselines, and models trained before
   * intervals existed).
   */
  default double[] interval(double spend, double probability) {
    return null;
  }

  /** Whether {@link #explain} gives reasons. */
  default boolean explains() {
    return false;
  }

  /** The {@code count} features that push this customer's predicted spend most, strongest first; empty if unsupported. */
  default List<Reason> explain(double[] features, int count) {
    return List.of();
  }
}
