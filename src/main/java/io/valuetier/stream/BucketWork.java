package io.valuetier.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valuetier.decide.IdRange;
import io.valuetier.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of the distributed batch's work topic: bucket {@code bucket} of {@code buckets} of decision run
 * {@code run} of the store {@code store} (its id), the scored customers of {@code range}, to be decided with the rule
 * sets {@code ruleSet} ({@code decision_runs.rule_set}: the champion's version, {@code +} the challenger's).
 */
record BucketWork(String store, long run, int bucket, int buckets, IdRange range, String ruleSet) {

  /** The record's key: store, run and bucket. */
  String key() {
    return store.substring(0, Math.min(8, store.length())) + "/" + run + "/" + bucket;
  }

  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store", store);
    m.put("run", run);
    m.put("bucket", bucket);
    m.put("buckets", buckets);
    m.put("from", range.from());
    m.put("to", range.to());
    m.put("rule_set", ruleSet);
    return Json.write(m);
  }

  /** The record of {@code json}; throws IllegalArgumentException when it is not one. */
  static BucketWork parse(String json) {
    try {
      var n = Json.MAPPER.readTree(json);
      if (n == null || !n.hasNonNull("store") || !n.hasNonNull("run") || !n.hasNonNull("bucket")
          || !n.hasNonNull("buckets") || !n.hasNonNull("rule_set")) {
        throw new IllegalArgumentException("not a bucket of work: " + json);
      }
      IdRange range = new IdRange(text(n.get("from")), text(n.get("to")));
      return new BucketWork(n.get("store").asText(), n.get("run").asLong(), n.get("bucket").asInt(),
          n.get("buckets").asInt(), range, n.get("rule_set").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a bucket of work: " + e.getOriginalMessage(), e);
    }
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  @Override
  public String toString() {
    return "bucket " + bucket + " of " + buckets + " of run " + run + ", customers " + range;
  }
}
