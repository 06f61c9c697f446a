package io.valuetier.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows, gathered from the stages of a run. Sections whose data is missing (for example
 * no holdout evaluation when the champion was reused) are left out of the page rather than drawn empty.
 */
public record ReportData(
    String title,
    @JsonProperty("generated_at") String generatedAt,
    Map<String, String> summary,
    @JsonProperty("tiers") List<Bar> tiers,
    @JsonProperty("value_by_tier") List<Bar> valueByTier,
    List<Bar> actions,
    List<Gains> gains,
    List<Decile> calibration,
    @JsonProperty("model_table") List<ModelRow> modelTable,
    String champion,
    @JsonProperty("top_features") List<Bar> topFeatures,
    @JsonProperty("rule_hits") List<Bar> ruleHits,
    List<Bar> rejected,
    List<OutcomeRow> outcomes,
    List<MonitorRow> monitoring) {

  /** Without monitoring rows (the section is then left out). */
  public ReportData(
      String title,
      String generatedAt,
      Map<String, String> summary,
      List<Bar> tiers,
      List<Bar> valueByTier,
      List<Bar> actions,
      List<Gains> gains,
      List<Decile> calibration,
      List<ModelRow> modelTable,
      String champion,
      List<Bar> topFeatures,
      List<Bar> ruleHits,
      List<Bar> rejected,
      List<OutcomeRow> outcomes) {
    this(title, generatedAt, summary, tiers, valueByTier, actions, gains, calibration, modelTable, champion,
        topFeatures, ruleHits, rejected, outcomes, List.of());
  }

  /** The same data with these monitoring rows. */
  public ReportData withMonitoring(List<MonitorRow> rows) {
    return new ReportData(title, generatedAt, summary, tiers, valueByTier, actions, gains, calibration, modelTable,
        champion, topFeatures, ruleHits, rejected, outcomes, List.copyOf(rows));
  }

  /**
   * One line of the monitoring table.
   *
   * @param area drift, calibration or decisions
   * @param check what was measured
   * @param value the figure, formatted
   * @param threshold the threshold it is held against, formatted (empty when none)
   * @param status {@code ok}, {@code notice} or {@code warn}
   * @param note in words
   */
  public record MonitorRow(String area, String check, String value, String threshold, String status, String note) {}

  /** One labelled quantity. */
  public record Bar(String label, double value) {}

  /** A gains curve: for the top x% of customers by prediction, the share y% of actual holdout spend. */
  public record Gains(String model, List<double[]> points) {}

  /** Mean predicted and actual holdout spend in one decile of predicted value (1 = highest). */
  public record Decile(int decile, double predicted, double actual) {}

  /** One model of the comparison table. */
  public record ModelRow(
      String name,
      double spearman,
      @JsonProperty("normalized_gini") double normalizedGini,
      @JsonProperty("top_decile_capture") double topDecileCapture,
      double mae,
      double rmse,
      @JsonProperty("predicted_total") double predictedTotal,
      @JsonProperty("actual_total") double actualTotal) {}

  /**
   * What one action did in one tier against its control group (customers held out of the same action in the same
   * tier): response and purchase rates, revenue per customer, and the uplifts with their 95% confidence intervals
   * (NaN when there is no control group yet).
   */
  public record OutcomeRow(
      String tier,
      String action,
      long treated,
      long control,
      @JsonProperty("response_rate") double responseRate,
      @JsonProperty("purchase_rate") double purchaseRate,
      @JsonProperty("control_purchase_rate") double controlPurchaseRate,
      double uplift,
      @JsonProperty("uplift_low") double upliftLow,
      @JsonProperty("uplift_high") double upliftHigh,
      @JsonProperty("revenue_per_customer") double revenuePerCustomer,
      @JsonProperty("control_revenue_per_customer") double controlRevenuePerCustomer,
      @JsonProperty("revenue_uplift") double revenueUplift,
      @JsonProperty("revenue_uplift_low") double revenueUpliftLow,
      @JsonProperty("revenue_uplift_high") double revenueUpliftHigh) {}
}
