package io.valuetier.act;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.util.CsvCell;
import java.math.BigDecimal;
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
 * <p>{@code reasons} are the decision's (the matched rows' annotations and the guardrails'); {@code model_reason_1..3}
 * are the model's top three reasons for the prediction, as the scoring gave them (null where it gave fewer).
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
    @JsonProperty("model_reason_1") String modelReason1,
    @JsonProperty("model_reason_2") String modelReason2,
    @JsonProperty("model_reason_3") String modelReason3,
    @JsonProperty("service_level") String serviceLevel,
    List<ProductPick> products) {

  /** Column order of the CSV files. */
  public static final String CSV_HEADER =
      "decision_id,customer_id,tier,action,channel,offer,priority,predicted_value,reasons,rule_set_version,"
          + "model_version,decided_at,control_group,model_reason_1,model_reason_2,model_reason_3,service_level,products";

  /** An action without the model's reasons, service level and products (written before they were kept, or by hand). */
  public ActionRecord(
      String decisionId, String customerId, String tier, String action, String channel, String offer, int priority,
      BigDecimal predictedValue, String reasons, String ruleSetVersion, String modelVersion, Instant decidedAt,
      boolean controlGroup) {
    this(decisionId, customerId, tier, action, channel, offer, priority, predictedValue, reasons, ruleSetVersion,
        modelVersion, decidedAt, controlGroup, null, null, null, null, List.of());
  }

  public ActionRecord {
    products = products == null ? List.of() : products;
  }

  /**
   * The action of one decision as it is published, the same fields {@link DecisionActions} reads back from the store
   * for a batch run (the Kafka worker produces it as the decision is made).
   */
  public static ActionRecord of(Decision d) {
    DecisionInput in = d.input();
    return new ActionRecord(
        Long.toString(d.decisionId()),
        d.customerId(),
        d.valueTier(),
        d.actionCode() == null ? "NONE" : d.actionCode(),
        d.channel(),
        d.offer(),
        d.priority() == null ? 0 : d.priority(),
        d.predictedValue(),
        d.reasons(),
        d.ruleSetVersion(),
        d.modelId() == null ? null : d.modelVersion() == null ? d.modelId() : d.modelId() + "@" + d.modelVersion(),
        d.decidedAt(),
        d.controlGroup(),
        in == null ? null : in.modelReason(0),
        in == null ? null : in.modelReason(1),
        in == null ? null : in.modelReason(2),
        d.serviceLevel(),
        d.products());
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
        Boolean.toString(controlGroup), CsvCell.text(modelReason1), CsvCell.text(modelReason2),
        CsvCell.text(modelReason3), CsvCell.text(serviceLevel), CsvCell.text(ProductPick.toJson(products)));
  }
}
