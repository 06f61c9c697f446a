package io.valuetier.model;

import io.valuetier.features.Feature;
import io.valuetier.features.FeatureSpec;

/**
 * The simplest forecast: the customer's past net spend rate times the horizon, and a Poisson chance of buying at the
 * past purchase-day rate ({@code 1 - exp(-rate * horizon)}). Rates are over {@code max(tenure + 1, 30)} days.
 */
public record NaiveValueModel(FeatureSpec featureSpec, int horizonDays) implements ValueModel {

  @Override
  public String algorithm() {
    return "naive";
  }

  @Override
  public Prediction predict(double[] f) {
    double days = Math.max(f[Feature.TENURE_DAYS.ordinal()] + 1, 30);
    double spendRate = Math.max(0, f[Feature.NET_SPEND_TOTAL.ordinal()]) / days;
    double purchaseRate = f[Feature.FREQUENCY.ordinal()] / days;
    return new Prediction(spendRate * horizonDays, 1 - Math.exp(-purchaseRate * horizonDays));
  }
}
