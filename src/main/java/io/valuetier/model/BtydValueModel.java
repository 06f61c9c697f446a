package io.valuetier.model;

import io.valuetier.features.FeatureSpec;

/**
 * The analysts' baseline: BG/NBD expected purchases over the horizon times Gamma-Gamma expected spend per purchase
 * (the "CLV" of lifetimes/BTYD), and BG/NBD's probability of at least one purchase.
 */
public record BtydValueModel(FeatureSpec featureSpec, BtydFeatures btyd, int horizonDays) implements ValueModel {

  @Override
  public String algorithm() {
    return "btyd";
  }

  @Override
  public Prediction predict(double[] f) {
    double purchases = btyd.expectedPurchases(f, horizonDays);
    return new Prediction(purchases * btyd.spendPerPurchase(f), btyd.probabilityOfPurchase(f, horizonDays));
  }
}
