package io.valuetier.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.model.BucketScorer;
import io.valuetier.store.IdRange;
import io.valuetier.util.Json;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of the distributed batch's work topic: bucket {@code bucket} of {@code buckets} of decision run
 * {@code run} of the store {@code store} (its id), the customers of {@code range}, either to be scored in the scoring
 * round {@code scoring} ({@link BucketScorer}), or, when {@code scoring} is null, to be ranked among the run and
 * decided with the rule sets {@code ruleSet} ({@code decision_runs.rule_set}: the champion's version, {@code +} the
 * challenger's).
 */
record BucketWork(
    String store, long run, int bucket, int buckets, IdRange range, String ruleSet, BucketScorer.Round scoring) {

  /** A bucket to rank and decide. */
  static BucketWork decide(String store, long run, int bucket, int buckets, IdRange range, String ruleSet) {
    return new BucketWork(store, run, bucket, buckets, range, ruleSet, null);
  }

  /** A bucket to score. */
  static BucketWork score(String store, int bucket, int buckets, IdRange range, String ruleSet,
      BucketScorer.Round round) {
    return new BucketWork(store, round.runId(), bucket, buckets, range, ruleSet, round);
  }

  /** Whether the bucket is to be scored (else decided). */
  boolean scores() {
    return scoring != null;
  }

  /** The record's key: store, run, round and bucket. */
  String key() {
    return store.substring(0, Math.min(8, store.length())) + "/" + run + "/" + (scores() ? "score/" : "") + bucket;
  }

  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", scores() ? "score" : "decide");
    m.put("store", store);
    m.put("run", run);
    m.put("bucket", bucket);
    m.put("buckets", buckets);
    m.put("from", range.from());
    m.put("to", range.to());
    m.put("rule_set", ruleSet);
    if (scores()) {
      m.put("scoring_run", scoring.scoringRun());
      m.put("algorithm", scoring.algorithm());
      m.put("version", scoring.version());
      m.put("explainer_algorithm", scoring.explainerAlgorithm());
      m.put("explainer_version", scoring.explainerVersion());
      m.put("cutoff", scoring.cutoff().toString());
      m.put("panel_share", scoring.panelShare());
      m.put("model_id", scoring.modelId());
      m.put("horizon", scoring.horizon());
    }
    return Json.write(m);
  }

  /** The record of {@code json}; throws IllegalArgumentException when it is not one. */
  static BucketWork parse(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || !n.hasNonNull("store") || !n.hasNonNull("run") || !n.hasNonNull("bucket")
          || !n.hasNonNull("buckets") || !n.hasNonNull("rule_set")) {
        throw new IllegalArgumentException("not a bucket of work: " + json);
      }
      IdRange range = new IdRange(text(n.get("from")), text(n.get("to")));
      long run = n.get("run").asLong();
      BucketScorer.Round round = null;
      String kind = n.path("kind").asText("decide");
      if (kind.equals("score")) {
        for (String f : new String[] {"scoring_run", "algorithm", "version", "explainer_algorithm",
            "explainer_version", "cutoff", "panel_share", "model_id", "horizon"}) {
          if (!n.hasNonNull(f)) {
            throw new IllegalArgumentException("a bucket to score without " + f + ": " + json);
          }
        }
        round = new BucketScorer.Round(run, n.get("scoring_run").asText(), n.get("algorithm").asText(),
            n.get("version").asInt(), n.get("explainer_algorithm").asText(), n.get("explainer_version").asInt(),
            LocalDate.parse(n.get("cutoff").asText()), n.get("panel_share").asDouble(), n.get("model_id").asText(),
            n.get("horizon").asInt());
      } else if (!kind.equals("decide")) {
        throw new IllegalArgumentException("a bucket of an unknown kind " + kind + ": " + json);
      }
      return new BucketWork(n.get("store").asText(), run, n.get("bucket").asInt(), n.get("buckets").asInt(), range,
          n.get("rule_set").asText(), round);
    } catch (JsonProcessingException | java.time.DateTimeException e) {
      throw new IllegalArgumentException("not a bucket of work: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  @Override
  public String toString() {
    return "bucket " + bucket + " of " + buckets + " of run " + run + (scores() ? " (to score)" : "") + ", customers "
        + range;
  }
}
