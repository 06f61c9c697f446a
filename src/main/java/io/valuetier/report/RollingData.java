package io.valuetier.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.model.eval.RollingRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rolling-origin backtest the report shows: what {@code evaluate --rolling --record} kept in the model registry
 * ({@link RollingRecord}), read back. Figures missing in the record (a baseline has no intervals, a cutoff without
 * buyers has no AUC) are null.
 *
 * @param recordedAt when the backtest ran, to the minute ({@code 2026-12-06 10:25 UTC})
 * @param dataEnd the last day of the data it ran on
 * @param transactions the transaction files it read, as given
 * @param horizonDays the holdout length after every cutoff
 * @param customerShare the seeded share of customers it used
 * @param customers the customers in the (sampled) data
 * @param chosen the champion the backtest chose for the next training
 * @param refresh the command that records it again
 * @param summary per model (the champion at each cutoff last) the mean and worst cutoff of every figure
 * @param cutoffs per cutoff the champion chosen there and every model's normalized Gini and total bias
 * @param problem why the record could not be read (then nothing else is set), null when it could
 */
public record RollingData(
    @JsonProperty("recorded_at") String recordedAt,
    @JsonProperty("data_end") String dataEnd,
    List<String> transactions,
    @JsonProperty("horizon_days") int horizonDays,
    @JsonProperty("customer_share") double customerShare,
    int customers,
    String chosen,
    String refresh,
    List<Model> summary,
    List<Cutoff> cutoffs,
    String problem) {

  /** How to record one, for the page that has none. */
  public static final String HOW =
      "./valuetier evaluate --rolling --record --transactions FILE --format FORMAT";

  /** A figure's mean over the cutoffs, its worst value and the cutoff where it was worst. */
  public record Figure(Double mean, Double worst, @JsonProperty("worst_cutoff") String worstCutoff) {}

  /** One model's summary; {@code model} is {@code champion} for the model chosen at each cutoff. */
  public record Model(
      String model,
      Figure spearman,
      @JsonProperty("normalized_gini") Figure normalizedGini,
      @JsonProperty("top_decile_capture") Figure topDecileCapture,
      @JsonProperty("total_bias") Figure totalBias,
      @JsonProperty("buy_auc") Figure buyAuc,
      @JsonProperty("buy_brier") Figure buyBrier,
      @JsonProperty("interval_coverage") Figure intervalCoverage) {}

  /**
   * One cutoff.
   *
   * @param champion the model chosen there on its validation window
   * @param normalizedGini per model (in the record's order) its normalized Gini on the holdout
   * @param totalBias per model its total predicted over actual minus 1
   */
  public record Cutoff(
      String cutoff,
      @JsonProperty("holdout_end") String holdoutEnd,
      String champion,
      @JsonProperty("normalized_gini") Map<String, Double> normalizedGini,
      @JsonProperty("total_bias") Map<String, Double> totalBias) {}

  /**
   * The backtest recorded in {@code registryDir}: null when none was, one with only a {@code problem} when the file
   * cannot be read (the report says so rather than failing the run).
   */
  public static RollingData read(Path registryDir) {
    Optional<JsonNode> n;
    try {
      n = RollingRecord.read(registryDir);
    } catch (IllegalStateException e) {
      return new RollingData(null, null, List.of(), 0, 0, 0, null, null, List.of(), List.of(), e.getMessage());
    }
    return n.map(RollingData::of).orElse(null);
  }

  /** The record's JSON (as {@link RollingRecord#asMap} writes it) as the report's data. */
  static RollingData of(JsonNode n) {
    List<String> files = new ArrayList<>();
    n.path("transactions").forEach(t -> files.add(t.asText()));
    List<Model> summary = new ArrayList<>();
    n.path("summary").properties().forEach(e -> {
      JsonNode s = e.getValue();
      summary.add(new Model(e.getKey(), figure(s.path("spearman")), figure(s.path("normalized_gini")),
          figure(s.path("top_decile_capture")), figure(s.path("total_bias")), figure(s.path("buy_auc")),
          figure(s.path("buy_brier")), figure(s.path("interval_coverage"))));
    });
    List<Cutoff> cutoffs = new ArrayList<>();
    for (JsonNode c : n.path("cutoffs")) {
      Map<String, Double> gini = new LinkedHashMap<>();
      Map<String, Double> bias = new LinkedHashMap<>();
      c.path("models").properties().forEach(e -> {
        gini.put(e.getKey(), number(e.getValue().path("normalized_gini")));
        bias.put(e.getKey(), number(e.getValue().path("total_bias")));
      });
      cutoffs.add(new Cutoff(c.path("cutoff").asText(), c.path("holdout_end").asText(null),
          c.path("champion").asText(null), gini, bias));
    }
    return new RollingData(minute(n.path("recorded_at").asText(null)), n.path("data_end").asText(null), files,
        n.path("horizon_days").asInt(), n.path("customer_share").asDouble(1), n.path("customers").asInt(),
        n.path("chosen").asText(null), n.path("refresh").asText(null), summary, cutoffs, null);
  }

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** An ISO instant to the minute, as the report's headline gives times; anything else as it is. */
  static String minute(String instant) {
    try {
      return instant == null ? null : MINUTE.format(Instant.parse(instant));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static Figure figure(JsonNode f) {
    return new Figure(number(f.path("mean")), number(f.path("worst")), f.path("worst_cutoff").asText(null));
  }

  /** A finite number, or null (missing, null, or NaN written as a string). */
  private static Double number(JsonNode v) {
    if (!v.isNumber()) {
      return null;
    }
    double d = v.asDouble();
    return Double.isFinite(d) ? d : null;
  }
}
