package io.valuetier.decide;

import java.math.BigDecimal;

/** Decision inputs for tests: a retained, consenting Silver customer by default, changed one fact at a time. */
public final class Inputs {
  private Inputs() {}

  /** A customer with these prediction values and otherwise unremarkable facts (consent, no complaints, no fraud). */
  public static DecisionInput customer(String id, double spend, double percentile, double active) {
    return new DecisionInput(id, bd(spend), bd(percentile), bd(active), false, "test-model", "v1", bd(400), bd(0.1),
        true, false, BigDecimal.ZERO, false, "United Kingdom", "Retail", 0);
  }

  public static DecisionInput silver(String id) {
    return customer(id, 400, 60, 0.5);
  }

  /** A Gold customer who rarely returns goods: proposed a cross-sell voucher (a costly offer). */
  public static DecisionInput goldVoucher(String id, double spend) {
    return customer(id, spend, 88, 0.7);
  }

  /** An At Risk customer who rarely returns goods: proposed a win-back voucher. */
  public static DecisionInput atRiskVoucher(String id, double spend) {
    return customer(id, spend, 85, 0.2);
  }

  public static DecisionInput with(DecisionInput in, Boolean consent, BigDecimal complaints, Boolean fraud, int recent) {
    return new DecisionInput(in.customerId(), in.predictedSpend(), in.valuePercentile(), in.probabilityActive(),
        in.coldStart(), in.modelId(), in.modelVersion(), in.tenureDays(), in.returnsRatio(), consent,
        in.loyaltyMember(), complaints, fraud, in.country(), in.segment(), recent);
  }

  static BigDecimal bd(double d) {
    return BigDecimal.valueOf(d);
  }
}
