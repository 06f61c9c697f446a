package io.valuetier.decide;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the decisions of part of a run add up to (per tier, action, guardrail intervention and rule set, contacts,
 * control group, failures), as the summary of a run counts them: a bucket of the distributed batch stores its counts
 * as JSON with the bucket ({@code batch_buckets.counts}) and the coordinator adds them up for the run's summary.
 */
public final class BatchCounts {
  private static final int MAX_FAILURES = 20;

  public Map<String, Long> tiers = new TreeMap<>();
  public Map<String, Long> actions = new TreeMap<>();
  public Map<String, Long> interventions = new TreeMap<>();
  public Map<String, Long> ruleSets = new TreeMap<>();
  public long contacts;
  public long controlGroup;
  public long decided;
  public long failed;
  public List<String> failures = new ArrayList<>();

  /** Counts one decision. */
  public void add(Decision d) {
    tiers.merge(String.valueOf(d.valueTier()), 1L, Long::sum);
    actions.merge(String.valueOf(d.actionCode()), 1L, Long::sum);
    for (Intervention i : d.interventions()) {
      interventions.merge(i.code(), 1L, Long::sum);
    }
    ruleSets.merge(d.ruleSetRole() + " " + d.ruleSetVersion(), 1L, Long::sum);
    if (d.isContact()) {
      contacts++;
    }
    if (d.controlGroup()) {
      controlGroup++;
    }
    decided++;
  }

  /** Counts a customer the DMN could not decide. */
  public void failed(String message) {
    failed++;
    if (failures.size() < MAX_FAILURES) {
      failures.add(message);
    }
  }

  /** Adds {@code other}'s counts to these. */
  public void add(BatchCounts other) {
    other.tiers.forEach((k, v) -> tiers.merge(k, v, Long::sum));
    other.actions.forEach((k, v) -> actions.merge(k, v, Long::sum));
    other.interventions.forEach((k, v) -> interventions.merge(k, v, Long::sum));
    other.ruleSets.forEach((k, v) -> ruleSets.merge(k, v, Long::sum));
    contacts += other.contacts;
    controlGroup += other.controlGroup;
    decided += other.decided;
    failed += other.failed;
    for (String f : other.failures) {
      if (failures.size() < MAX_FAILURES) {
        failures.add(f);
      }
    }
  }

  public String toJson() {
    return Json.write(this);
  }

  public static BatchCounts fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, new TypeReference<BatchCounts>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bucket's counts are not readable: " + e.getMessage(), e);
    }
  }
}
