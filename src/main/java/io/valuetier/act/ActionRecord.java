package io.valuetier.act;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.util.CsvCell;
import java.math.BigDecimal;
import io.valuetier.model.picks.ProductPick;
import java.time.Instant;
import java.util.List;

/**
 * One recommended marketing action as marketing receives it: who, which tier, what to do through which channel with
 * which offer and priority, the predicted value, the reasons in words, and the ids that trace it back to the decision,
 * the rule set and the model.
 *
 * <p>{@code control_group = true} marks a customer held out of the action as its control group: the action code says
 * which action, but there is no channel and no offer, and the customer must not be contacted. These rows are
 * published (rather than dropped) so that marketing and the store count the same customers and marketing knows who the
 * comparison group of each action is; the file destination writes them to a file of their own.
 *
 * <p>{@code service_level} is the level of customer service the DMN gave the customer (Dedicated, Priority,
 * Standard), for the service team; {@code products} the product picks the action carries, best first, each with its
 * score and reason in words (empty when the action carries none).
 */
public record ActionRecord(
    @JsonProperty("decision_id") String decisionId,
    @JsonProperty("customer_id") String customerId,
    String tier,
    String action,
    String channel,
    String offer,
    int priority,
    @JsonProperty("predicted_value") BigDecimal predictedValue,
    String reasons,
    @JsonProperty("rule_set_version") String ruleSetVersion,
    @JsonProperty("model_version") String modelVersion,
    @JsonProperty("decided_at") Instant decidedAt,
    @JsonProperty("control_group") boolean controlGroup,
    @JsonProperty("service_level") String serviceLevel,
    List<ProductPick> products) {

  /** Column order of the CSV files. */
  public static final String CSV_HEADER =
      "decision_id,customer_id,tier,action,channel,offer,priority,predicted_value,reasons,rule_set_version,"
          + "model_version,decided_at,control_group,service_level,products";

  /** An action without service level and products. */
  public ActionRecord(
      String decisionId, String customerId, String tier, String action, String channel, String offer, int priority,
      BigDecimal predictedValue, String reasons, String ruleSetVersion, String modelVersion, Instant decidedAt,
      boolean controlGroup) {
    this(decisionId, customerId, tier, action, channel, offer, priority, predictedValue, reasons, ruleSetVersion,
        modelVersion, decidedAt, controlGroup, null, List.of());
  }

  public ActionRecord {
    products = products == null ? List.of() : products;
  }

  /**
   * This action as one CSV line for a spreadsheet: text cells are quoted and neutralised against formulas
   * ({@link CsvCell#text}); priority, predicted value, time and flag are numbers we format and stay as they are.
   */
  public String csvLine() {
    return String.join(
        ",",
        CsvCell.text(decisionId), CsvCell.text(customerId), CsvCell.text(tier), CsvCell.text(action),
        CsvCell.text(channel), CsvCell.text(offer), Integer.toString(priority),
        predictedValue == null ? "" : predictedValue.toPlainString(), CsvCell.text(reasons),
        CsvCell.text(ruleSetVersion), CsvCell.text(modelVersion), decidedAt == null ? "" : decidedAt.toString(),
        Boolean.toString(controlGroup), CsvCell.text(serviceLevel), CsvCell.text(ProductPick.toJson(products)));
  }
}
