package io.valuetier.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows, gathered from the stages of a run: first what marketing acts on (tiers, actions,
 * budget, the files, service levels), then the model and monitoring figures. Lists arrive in the order they are shown
 * (tiers and service levels in the rank the DMN's types give them). Sections whose data is missing (for example no
 * holdout evaluation when the champion was reused) are left out of the page rather than drawn empty.
 *
 * @param title the page title
 * @param headline what run this is, when it was written, on which store, with which rules and model
 * @param summary the run's accounting (rows read, accepted, rejected ...), label to formatted figure
 * @param tiers customers and predicted value per tier, in rank order
 * @param actions the marketing actions with channel, offer and cost
 * @param budget the offer budget and how much of it the run used
 * @param files where the actions were published and how many rows each file has
 * @param serviceLevels customers per service level, in rank order
 * @param rolling the rolling-origin backtest recorded in the model registry, null when none was
 */
public record ReportData(
    String title,
    Headline headline,
    Map<String, String> summary,
    List<TierRow> tiers,
    List<ActionRow> actions,
    Budget budget,
    Published files,
    @JsonProperty("service_levels") List<Bar> serviceLevels,
    List<Gains> gains,
    List<Decile> calibration,
    @JsonProperty("model_table") List<ModelRow> modelTable,
    String champion,
    @JsonProperty("top_features") List<Bar> topFeatures,
    @JsonProperty("rule_hits") List<RuleHit> ruleHits,
    List<Bar> rejected,
    List<OutcomeRow> outcomes,
    List<MonitorRow> monitoring,
    RollingData rolling) {

  /** The data without a recorded rolling backtest. */
  public ReportData(String title, Headline headline, Map<String, String> summary, List<TierRow> tiers,
      List<ActionRow> actions, Budget budget, Published files, List<Bar> serviceLevels, List<Gains> gains,
      List<Decile> calibration, List<ModelRow> modelTable, String champion, List<Bar> topFeatures,
      List<RuleHit> ruleHits, List<Bar> rejected, List<OutcomeRow> outcomes, List<MonitorRow> monitoring) {
    this(title, headline, summary, tiers, actions, budget, files, serviceLevels, gains, calibration, modelTable,
        champion, topFeatures, ruleHits, rejected, outcomes, monitoring, null);
  }

  /** The same data with more lines of the run's accounting, after those it has. */
  public ReportData withSummary(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(summary);
    all.putAll(more);
    return new ReportData(title, headline, all, tiers, actions, budget, files, serviceLevels, gains, calibration,
        modelTable, champion, topFeatures, ruleHits, rejected, outcomes, monitoring, rolling);
  }

  /** The same data with these monitoring rows. */
  public ReportData withMonitoring(List<MonitorRow> rows) {
    return new ReportData(title, headline, summary, tiers, actions, budget, files, serviceLevels, gains, calibration,
        modelTable, champion, topFeatures, ruleHits, rejected, outcomes, List.copyOf(rows), rolling);
  }

  /** The same data with this rolling backtest (null: none recorded). */
  public ReportData withRolling(RollingData backtest) {
    return new ReportData(title, headline, summary, tiers, actions, budget, files, serviceLevels, gains, calibration,
        modelTable, champion, topFeatures, ruleHits, rejected, outcomes, monitoring, backtest);
  }

  /**
   * What the report is about.
   *
   * @param run the decision run
   * @param writtenAt when the report was written, to the minute, e.g. {@code 2026-12-03 10:15 UTC}
   * @param store the database, without credentials
   * @param ruleSet the rule-set version that decided
   * @param model the champion model that predicted
   * @param currency the ISO 4217 code of the shop's amounts (e.g. GBP), or null when they mix currencies
   */
  public record Headline(
      long run,
      @JsonProperty("written_at") String writtenAt,
      String store,
      @JsonProperty("rule_set") String ruleSet,
      String model,
      String currency) {}

  /** One value tier: its customers and the sum of their predicted value. */
  /**
   * One value tier of the run.
   *
   * @param intervalLow the mean lower bound of the prediction interval of the tier's customers who have one, or null
   *     when none has (a model without intervals)
   * @param intervalHigh the mean upper bound, or null
   */
  public record TierRow(String tier, long customers, @JsonProperty("predicted_value") double predictedValue,
      @JsonProperty("interval_low") Double intervalLow, @JsonProperty("interval_high") Double intervalHigh) {

    /** A tier without prediction intervals. */
    public TierRow(String tier, long customers, double predictedValue) {
      this(tier, customers, predictedValue, null, null);
    }
  }

  /**
   * One marketing action of the run.
   *
   * @param action the action code
   * @param channel the channels it goes out on, empty when it contacts nobody
   * @param offer the offers it makes, empty when none
   * @param customers customers who get it (not held out)
   * @param heldOut customers held out of it as its control group (not contacted)
   * @param withoutOffer customers contacted without the offer because the budget had gone to others
   * @param costPerContact the offer's cost per customer who gets it (the DMN's Offer Cost), 0 when free
   * @param cost the total offer cost of the action in this run
   */
  public record ActionRow(
      String action,
      List<String> channel,
      List<String> offer,
      long customers,
      @JsonProperty("held_out") long heldOut,
      @JsonProperty("without_offer") long withoutOffer,
      @JsonProperty("cost_per_contact") double costPerContact,
      double cost) {}

  /**
   * The run's offer budget.
   *
   * @param limit the budget ({@code valuetier.decide.offer-budget}), null when unlimited
   * @param used the offer cost granted in this run
   */
  public record Budget(Double limit, double used) {}

  /**
   * Where the actions went.
   *
   * @param destination the publish destination, without credentials
   * @param folder the folder of the run's action files, null when the destination is not a folder
   * @param files the files in it with their data rows (header not counted)
   */
  public record Published(String destination, String folder, List<FileRow> files) {}

  /** One published file and its data rows. */
  public record FileRow(String name, long rows, FileKind kind) {}

  /** What a published file holds. */
  public enum FileKind {
    /** Customers to contact with the action. */
    CONTACTS,
    /** Customers held out of the action as its control group: not to be contacted. */
    CONTROL_GROUP,
    /** Customers of an action without a channel: recorded, not contacted. */
    NO_CONTACT,
    /** Every decision of the run, one JSON object a line. */
    ALL_DECISIONS
  }

  /** One decision-table row: {@code decision#row}, its annotation in full, and how often it matched in the run. */
  public record RuleHit(String rule, String annotation, long hits) {}

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
