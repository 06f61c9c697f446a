package io.valuetier.model.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.Trainer;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The champion algorithm chosen on a rolling-origin backtest instead of one validation window: each algorithm's score
 * (the mean of normalized Gini and Spearman, the criterion of {@link Trainer#score}) at every cutoff, its mean over the
 * cutoffs and its worst cutoff. The worst cutoff guards: only algorithms whose worst score is within {@code guard} of the
 * best worst score are eligible; among them the best mean wins, and gbt (whose TreeSHAP values give the reasons) wins a
 * tie within {@code tolerance}, as on a validation window.
 *
 * <p>{@code evaluate --rolling --record} keeps the choice in the model registry ({@value #FILE}); a later training
 * whose calibration end is within the choice's reach of the backtest's data uses it as the champion and says so in the
 * model cards.
 *
 * @param algorithm the chosen algorithm
 * @param dataEnd the last day of the data the backtest ran on
 * @param cutoffs how many cutoffs it had
 * @param scores every algorithm's mean and worst score
 * @param rule the rule that chose, in words
 * @param recordedAt when the choice was made
 */
public record RollingChoice(
    String algorithm, LocalDate dataEnd, int cutoffs, Map<String, Scores> scores, String rule, Instant recordedAt) {

  /** The file in the model registry folder. */
  public static final String FILE = "rolling-choice.json";

  /** An algorithm's score over the cutoffs: the mean, the worst and where. */
  public record Scores(double mean, double worst, LocalDate worstCutoff) {}

  /** The choice on {@code report}, whose data ends on {@code dataEnd}, among every algorithm. */
  public static RollingChoice of(RollingBacktest.Report report, LocalDate dataEnd, double tolerance, double guard) {
    return of(report, dataEnd, tolerance, guard, ModelSettings.KNOWN_ALGORITHMS);
  }

  /**
   * The choice on {@code report}, whose data ends on {@code dataEnd}, among the {@code candidates} (every algorithm's
   * scores are kept; when no candidate was backtested, every algorithm may be chosen).
   */
  public static RollingChoice of(
      RollingBacktest.Report report, LocalDate dataEnd, double tolerance, double guard, List<String> candidates) {
    if (report.cutoffs().isEmpty()) {
      throw new IllegalArgumentException("a rolling backtest without cutoffs chooses nothing");
    }
    Map<String, Scores> scores = new LinkedHashMap<>();
    for (RollingBacktest.Entry first : report.cutoffs().getFirst().models()) {
      String a = first.algorithm();
      if (a.equals("champion")) {
        continue;
      }
      double sum = 0;
      double worst = Double.POSITIVE_INFINITY;
      LocalDate where = null;
      int n = 0;
      for (RollingBacktest.Cutoff c : report.cutoffs()) {
        for (RollingBacktest.Entry e : c.models()) {
          if (e.algorithm().equals(a)) {
            double s = Trainer.score(e.holdout());
            if (!Double.isNaN(s)) {
              sum += s;
              n++;
              if (s < worst) {
                worst = s;
                where = c.cutoff();
              }
            }
          }
        }
      }
      if (n > 0) {
        scores.put(a, new Scores(sum / n, worst, where));
      }
    }
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("no algorithm has a score at any cutoff of the rolling backtest");
    }
    Map<String, Scores> eligible = new LinkedHashMap<>(scores);
    eligible.keySet().retainAll(candidates);
    if (eligible.isEmpty()) {
      eligible = scores;
    }
    double bestWorst = eligible.values().stream().mapToDouble(Scores::worst).max().orElseThrow();
    String chosen = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, Scores> e : eligible.entrySet()) {
      if (e.getValue().worst() >= bestWorst - guard && e.getValue().mean() > bestMean) {
        bestMean = e.getValue().mean();
        chosen = e.getKey();
      }
    }
    Scores gbt = eligible.get("gbt");
    if (!"gbt".equals(chosen) && gbt != null && gbt.worst() >= bestWorst - guard && gbt.mean() >= bestMean - tolerance) {
      chosen = "gbt";
    }
    String rule = String.format(Locale.ROOT, "best mean of (normalized Gini + Spearman) / 2 over %d cutoffs among the"
        + " algorithms %s whose worst cutoff is within %.3f of the best worst cutoff; gbt wins a tie within %.3f",
        report.cutoffs().size(), eligible.keySet(), guard, tolerance);
    return new RollingChoice(chosen, dataEnd, report.cutoffs().size(), scores, rule, Instant.now());
  }

  /** Whether a training up to {@code calibrationEnd} may use this choice: its data ends at most {@code maxDays} apart. */
  public boolean reaches(LocalDate calibrationEnd, int maxDays) {
    return Math.abs(ChronoUnit.DAYS.between(dataEnd, calibrationEnd)) <= maxDays;
  }

  /** One line for a model card and the log: what was chosen, on what, and every algorithm's figures. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    scores.forEach((a, s) -> parts.add(String.format(Locale.ROOT, "%s mean %.3f worst %.3f (%s)", a, s.mean(),
        s.worst(), s.worstCutoff())));
    return "champion " + algorithm + " chosen on the rolling backtest recorded " + recordedAt + " (" + cutoffs
        + " month-end cutoffs, data to " + dataEnd + "): " + String.join("; ", parts) + "; rule: " + rule;
  }

  /** The JSON form kept in the registry. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", algorithm);
    m.put("data_end", dataEnd.toString());
    m.put("cutoffs", cutoffs);
    Map<String, Object> s = new LinkedHashMap<>();
    scores.forEach((a, v) -> s.put(a, Map.of("mean", v.mean(), "worst", v.worst(), "worst_cutoff",
        v.worstCutoff().toString())));
    m.put("scores", s);
    m.put("rule", rule);
    m.put("recorded_at", recordedAt.toString());
    return m;
  }

  /** Writes the choice to {@code registryDir}/{@value #FILE}, replacing an earlier one. */
  public Path write(Path registryDir) {
    return RollingRecord.writeAtomically(registryDir, FILE, asMap(), "the rolling choice");
  }

  /** The choice kept in {@code registryDir}, if any; a file that cannot be read is an error that names it. */
  public static Optional<RollingChoice> read(Path registryDir) {
    Path file = registryDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readString(file));
      Map<String, Scores> scores = new LinkedHashMap<>();
      n.path("scores").properties().forEach(e -> scores.put(e.getKey(), new Scores(
          e.getValue().path("mean").asDouble(), e.getValue().path("worst").asDouble(),
          LocalDate.parse(e.getValue().path("worst_cutoff").asText()))));
      String algorithm = n.path("algorithm").asText("");
      if (algorithm.isEmpty() || !scores.containsKey(algorithm)) {
        throw new IllegalArgumentException("no chosen algorithm among its scores");
      }
      return Optional.of(new RollingChoice(algorithm, LocalDate.parse(n.path("data_end").asText()),
          n.path("cutoffs").asInt(), scores, n.path("rule").asText(), Instant.parse(n.path("recorded_at").asText())));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the rolling choice " + file + " (written by evaluate --rolling"
          + " --record; delete it or record it again): " + e.getMessage(), e);
    }
  }
}
