package io.valuetier.model;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.Feature;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.records.CustomerFacts;
import io.valuetier.records.Transaction;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * Scores customers with one model: from a feature vector, or for a single customer from their facts and transactions
 * alone (what an API call has), without the rest of the data. Thread-safe.
 */
public final class CustomerScorer {
  private final ValueModel model;
  private final FeatureBuilder features;
  private final int coldStartMinPurchaseDays;
  private final int coldStartMinTenureDays;
  private final int reasons;

  public CustomerScorer(ValueModel model, ModelSettings settings) {
    this(model, settings.coldStartMinPurchaseDays(), settings.coldStartMinTenureDays(), settings.reasons());
  }

  public CustomerScorer(ValueModel model, int coldStartMinPurchaseDays, int coldStartMinTenureDays, int reasons) {
    this.model = model;
    this.features = new FeatureBuilder(model.featureSpec());
    this.coldStartMinPurchaseDays = coldStartMinPurchaseDays;
    this.coldStartMinTenureDays = coldStartMinTenureDays;
    this.reasons = reasons;
  }

  public ValueModel model() {
    return model;
  }

  /** Whether a customer with these features has too little history (the cold-start rule of the settings). */
  public boolean coldStart(double[] f) {
    return f[Feature.FREQUENCY.ordinal()] < coldStartMinPurchaseDays
        || f[Feature.TENURE_DAYS.ordinal()] < coldStartMinTenureDays;
  }

  /** Scores a customer from its feature vector; {@code explain} adds the reasons (TreeSHAP, about 0.1 ms). */
  public ScoredCustomer score(String customerId, double[] f, boolean explain) {
    Prediction p = model.predict(f);
    List<Reason> r = explain && reasons > 0 ? model.explain(f, reasons) : List.of();
    double[] interval = model.interval(p.spend(), p.probability());
    return new ScoredCustomer(
        customerId,
        p.spend(),
        p.probability(),
        coldStart(f),
        true,
        (int) f[Feature.TENURE_DAYS.ordinal()],
        f[Feature.RETURNS_RATIO.ordinal()],
        r,
        interval == null ? null : interval[0],
        interval == null ? null : interval[1]);
  }

  /**
   * Scores one customer from their facts (may be null) and their cleaned transactions, at {@code cutoff}: only this
   * customer's lines are read.
   */
  public ScoredCustomer score(
      String customerId, CustomerFacts facts, Collection<Transaction> transactions, LocalDate cutoff) {
    CustomerLog.Builder b = CustomerLog.builder();
    for (Transaction t : transactions) {
      if (!t.customerId().equals(customerId)) {
        throw new IllegalArgumentException(
            "transaction of customer " + t.customerId() + " (line " + t.line() + ") given to score " + customerId);
      }
      b.add(t);
    }
    if (facts != null) {
      b.facts(facts);
    }
    CustomerLog log = b.build();
    int c = log.indexOf(customerId);
    double[] f = new double[Feature.count()];
    if (c < 0 || !features.compute(log, c, (int) cutoff.toEpochDay(), f)) {
      return noPurchase(customerId);
    }
    return score(customerId, f, true);
  }

  /** The row of a customer who had not bought by the cutoff: nothing to predict from. */
  public static ScoredCustomer noPurchase(String customerId) {
    return new ScoredCustomer(customerId, 0, 0, true, false, 0, 0, List.of(), null, null);
  }
}
