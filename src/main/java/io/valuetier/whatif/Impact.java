package io.valuetier.whatif;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a candidate rule set would change against the active one on the same population: how customers move between
 * tiers, how the count of each action changes, the predicted value at stake per tier, and a sample of customers whose
 * outcome changes, with the reasons on both sides.
 *
 * @param tierMigration from tier (active) to tier (candidate) to customers; the diagonal is the unchanged
 * @param valueAtStake per tier, the predicted value of the customers who leave it and who join it
 * @param migrationExamples from tier to tier to the first few customers of that cell whose tier or action changes
 *     (the workbench shows them in the matrix, so that an analyst can look one up)
 */
public record Impact(
    @JsonProperty("active_rule_set") String activeRuleSet,
    @JsonProperty("candidate_rule_set") String candidateRuleSet,
    long customers,
    @JsonProperty("tier_changes") long tierChanges,
    @JsonProperty("action_changes") long actionChanges,
    @JsonProperty("tier_migration") Map<String, Map<String, Long>> tierMigration,
    @JsonProperty("action_counts") Map<String, ActionCount> actionCounts,
    @JsonProperty("value_at_stake") Map<String, TierValue> valueAtStake,
    List<Change> sample,
    @JsonProperty("migration_examples") Map<String, Map<String, List<String>>> migrationExamples) {

  /** Customers listed per cell of the migration matrix. */
  public static final int EXAMPLES_PER_CELL = 3;

  /** An impact without examples per cell. */
  public Impact(String activeRuleSet, String candidateRuleSet, long customers, long tierChanges, long actionChanges,
      Map<String, Map<String, Long>> tierMigration, Map<String, ActionCount> actionCounts,
      Map<String, TierValue> valueAtStake, List<Change> sample) {
    this(activeRuleSet, candidateRuleSet, customers, tierChanges, actionChanges, tierMigration, actionCounts,
        valueAtStake, sample, Map.of());
  }

  /** How many customers get an action under each rule set. */
  public record ActionCount(long active, long candidate) {
    public long delta() {
      return candidate - active;
    }
  }

  /** Predicted value of the customers leaving and joining a tier. */
  public record TierValue(
      @JsonProperty("customers_leaving") long customersLeaving,
      @JsonProperty("value_leaving") BigDecimal valueLeaving,
      @JsonProperty("customers_joining") long customersJoining,
      @JsonProperty("value_joining") BigDecimal valueJoining) {}

  /** One customer whose outcome changes. */
  public record Change(
      @JsonProperty("customer_id") String customerId,
      @JsonProperty("predicted_value") BigDecimal predictedValue,
      @JsonProperty("tier_from") String tierFrom,
      @JsonProperty("tier_to") String tierTo,
      @JsonProperty("action_from") String actionFrom,
      @JsonProperty("action_to") String actionTo,
      @JsonProperty("reasons_from") String reasonsFrom,
      @JsonProperty("reasons_to") String reasonsTo) {}

  /** Customers moving from one tier to another (0 when none). */
  public long moved(String from, String to) {
    return tierMigration.getOrDefault(from, Map.of()).getOrDefault(to, 0L);
  }
}
