package io.valuetier.model.picks;

import io.valuetier.records.Transaction;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The holdout evaluation of the recommender against the popularity baseline: trained on the purchases up to the
 * cutoff, each customer who bought in the holdout gets {@code N} picks from each method, under the same rules (nothing
 * bought within {@code recentDays} of the cutoff, nothing ever returned), and the picks are compared with what the
 * customer really bought in the holdout (products not allowed to be picked left out).
 *
 * @param n picks per customer
 * @param customers customers evaluated: bought at least one product in the holdout that may be picked
 * @param coldStart of those, customers without purchases before the cutoff (both methods give them popular products)
 * @param catalogue products known at the cutoff
 * @param recommender the recommender's figures
 * @param popularity the baseline's figures
 */
public record PicksEvaluation(
    int n, int customers, int coldStart, int catalogue, Metrics recommender, Metrics popularity) {

  /**
   * @param hitRate share of customers who bought at least one of their picks in the holdout
   * @param recall mean over customers of the share of their holdout products that were picked
   * @param coverage share of the catalogue picked for at least one customer
   */
  public record Metrics(double hitRate, double recall, double coverage) {
    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("hit_rate", round(hitRate));
      m.put("recall", round(recall));
      m.put("coverage", round(coverage));
      return m;
    }
  }

  /**
   * Evaluates the recommender trained on {@code training} (lines up to {@code cutoffDay}) against {@code holdout}
   * (lines after it).
   */
  public static PicksEvaluation run(
      PurchaseLog training, PurchaseLog holdout, int cutoffDay, PicksSettings settings, int n) {
    ProductRecommender model = new RecommenderTrainer(settings).train(training, cutoffDay);
    Map<String, Integer> productIndex = new HashMap<>();
    for (int p = 0; p < model.products(); p++) {
      productIndex.put(model.productId(p), p);
    }
    int recentFrom = cutoffDay - settings.recentDays() + 1;
    int evaluated = 0;
    int cold = 0;
    double[] hits = new double[2];
    double[] recall = new double[2];
    List<Set<String>> picked = List.of(new HashSet<>(), new HashSet<>());
    for (int h = 0; h < holdout.customers(); h++) {
      int c = training.indexOfCustomer(holdout.customerId(h));
      Set<String> excluded = new HashSet<>();
      if (c >= 0) {
        for (int i = training.from(c); i < training.to(c); i++) {
          if (training.returned(i) || training.lastDay(i) >= recentFrom) {
            excluded.add(training.productId(training.product(i)));
          }
        }
      }
      Set<String> bought = new HashSet<>();
      for (int i = holdout.from(h); i < holdout.to(h); i++) {
        String code = holdout.productId(holdout.product(i));
        if (holdout.lastDay(i) != PurchaseLog.NEVER_BOUGHT && !excluded.contains(code)) {
          bought.add(code);
        }
      }
      if (bought.isEmpty()) {
        continue;
      }
      evaluated++;
      if (c < 0) {
        cold++;
      }
      List<List<ProductPick>> lists = List.of(model.recommend(training, c, n), model.popularFor(training, c, n));
      for (int m = 0; m < 2; m++) {
        int found = 0;
        for (ProductPick p : lists.get(m)) {
          picked.get(m).add(p.productId());
          if (bought.contains(p.productId())) {
            found++;
          }
        }
        hits[m] += found > 0 ? 1 : 0;
        recall[m] += found / (double) bought.size();
      }
    }
    int e = Math.max(1, evaluated);
    int catalogue = Math.max(1, model.products());
    return new PicksEvaluation(
        n, evaluated, cold, model.products(),
        new Metrics(hits[0] / e, recall[0] / e, picked.get(0).size() / (double) catalogue),
        new Metrics(hits[1] / e, recall[1] / e, picked.get(1).size() / (double) catalogue));
  }

  /**
   * Splits transactions at a cutoff into the purchase logs of the evaluation, as they are read (hand it to
   * {@code TransactionFileLog.read} beside the value models' log).
   */
  public static final class Split implements Consumer<Transaction> {
    private final int cutoffDay;
    private final PurchaseLog.Builder training;
    private final PurchaseLog.Builder holdout;

    public Split(LocalDate calibrationEnd, LocalDate holdoutEnd) {
      this.cutoffDay = (int) calibrationEnd.toEpochDay();
      this.training = PurchaseLog.builder(0, cutoffDay);
      this.holdout = PurchaseLog.builder(cutoffDay + 1, (int) holdoutEnd.toEpochDay());
    }

    @Override
    public void accept(Transaction t) {
      add(t.customerId(), t.productId(), t.description(), (int) t.timestamp().toLocalDate().toEpochDay(),
          t.isReturn());
    }

    /** One order line (see {@link PurchaseLog.Builder#add}). */
    public void add(String customerId, String productId, String description, int day, boolean isReturn) {
      (day <= cutoffDay ? training : holdout).add(customerId, productId, description, day, isReturn);
    }

    /** Evaluates the recommender with {@code settings} at {@code n} picks per customer on what was read. */
    public PicksEvaluation evaluate(PicksSettings settings, int n) {
      return run(training.build(), holdout.build(), cutoffDay, settings, n);
    }
  }

  /** The figures as one JSON-ready map. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("customers", customers);
    m.put("cold_start", coldStart);
    m.put("catalogue", catalogue);
    m.put("recommender", recommender.asMap());
    m.put("popularity", popularity.asMap());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
