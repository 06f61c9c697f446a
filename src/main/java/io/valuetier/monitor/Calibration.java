package io.valuetier.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.eval.ModelMetrics;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.records.Finding;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Calibration of past predictions once their horizon has passed: the latest scoring run in {@code score_history}
 * whose {@code cutoff + horizon} is on or before the last day of data, compared with what its customers really spent
 * in {@code (cutoff, cutoff + horizon]} (returns netted). The customers are those the history kept of the run: all
 * of them, or a seeded panel in a large shop ({@code valuetier.monitor.calibration.panel}).
 *
 * @param runId the scoring run
 * @param modelId the model that scored it
 * @param cutoff its cutoff
 * @param horizonDays its horizon
 * @param customers customers compared
 * @param predictedTotal sum of predicted spend
 * @param actualTotal sum of realised spend
 * @param totalRatio {@code predictedTotal / actualTotal}
 * @param brier mean of {@code (probability - bought)^2}
 * @param spearman rank correlation of predicted and realised spend
 * @param normalizedGini normalized Gini of realised spend ordered by prediction
 * @param validationGini the model card's validation normalized Gini (NaN when the card is gone)
 * @param deciles ten groups by predicted spend, highest first: mean predicted and mean realised spend
 */
public record Calibration(
    String runId,
    String modelId,
    LocalDate cutoff,
    int horizonDays,
    int customers,
    double predictedTotal,
    double actualTotal,
    double totalRatio,
    double brier,
    double spearman,
    double normalizedGini,
    double validationGini,
    List<double[]> deciles) {

  /** A scoring run kept in {@code score_history}. */
  public record Run(String runId, String modelId, LocalDate cutoff, int horizonDays, int customers) {
    public LocalDate due() {
      return cutoff.plusDays(horizonDays);
    }
  }

  /**
   * Every scoring run whose predictions are in the history, latest cutoff first: read from {@code scoring_runs}, which
   * has a row per run, not from the history itself, which has a panel of customers per run.
   */
  public static List<Run> runs(Store store) {
    List<Run> out = new ArrayList<>();
    String sql = "SELECT run_id, model_id, cutoff_date, horizon_days, history_customers FROM scoring_runs "
        + "WHERE history_customers > 0 ORDER BY cutoff_date DESC, run_id";
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Run(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getInt(4), rs.getInt(5)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read scoring_runs from " + store.describe() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The latest run whose horizon has passed by {@code lastDay}, if any. */
  public static Optional<Run> due(List<Run> runs, LocalDate lastDay) {
    return runs.stream().filter(r -> !r.due().isAfter(lastDay)).max(Comparator.comparing(Run::cutoff));
  }

  /** Compares {@code run}'s predictions with the spend in {@code log}. */
  public static Calibration of(Store store, Run run, CustomerLog log, ModelRegistry registry) {
    List<String> ids = new ArrayList<>();
    List<double[]> pred = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT customer_id, predicted_spend, probability_active FROM score_history WHERE run_id = ?")) {
      ps.setString(1, run.runId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          pred.add(new double[] {rs.getDouble(2), rs.getDouble(3)});
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read score_history run " + run.runId() + ": " + e.getMessage(), e);
    }
    int n = ids.size();
    double[] spend = new double[n];
    double[] prob = new double[n];
    double[] actual = new double[n];
    boolean[] bought = new boolean[n];
    int from = (int) run.cutoff().toEpochDay();
    int to = from + run.horizonDays();
    double brier = 0;
    for (int i = 0; i < n; i++) {
      spend[i] = pred.get(i)[0];
      prob[i] = pred.get(i)[1];
      int cust = log.indexOf(ids.get(i));
      if (cust >= 0) {
        for (int r = log.from(cust); r < log.to(cust); r++) {
          int d = log.day(r);
          if (d > from && d <= to) {
            actual[i] += log.gross(r) - log.returned(r);
            bought[i] |= log.gross(r) > 0;
          }
        }
      }
      double e = prob[i] - (bought[i] ? 1 : 0);
      brier += e * e / n;
    }
    ModelMetrics m = ModelMetrics.of(spend, actual, prob, bought);
    return new Calibration(
        run.runId(), run.modelId(), run.cutoff(), run.horizonDays(), n, m.predictedTotal(), m.actualTotal(),
        m.actualTotal() == 0 ? Double.NaN : m.predictedTotal() / m.actualTotal(), brier, m.spearman(),
        m.normalizedGini(), validationGini(registry, run.modelId()), deciles(spend, actual));
  }

  /** The validation normalized Gini on the card of {@code modelId} ({@code ALGORITHM-vN}); NaN when not found. */
  static double validationGini(ModelRegistry registry, String modelId) {
    int dash = modelId.lastIndexOf("-v");
    if (dash < 0) {
      return Double.NaN;
    }
    try {
      Path card = registry.folder(modelId.substring(0, dash), Integer.parseInt(modelId.substring(dash + 2)))
          .resolve("card.json");
      if (!Files.isRegularFile(card)) {
        return Double.NaN;
      }
      JsonNode g = Json.MAPPER.readTree(card.toFile()).path("metrics").path("normalized_gini");
      return g.isNumber() ? g.asDouble() : Double.NaN;
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static List<double[]> deciles(double[] predicted, double[] actual) {
    int n = predicted.length;
    Integer[] idx = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> -predicted[i]));
    List<double[]> out = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      int a = (int) ((long) n * d / 10);
      int b = (int) ((long) n * (d + 1) / 10);
      double p = 0;
      double t = 0;
      for (int i = a; i < b; i++) {
        p += predicted[idx[i]];
        t += actual[idx[i]];
      }
      int k = Math.max(1, b - a);
      out.add(new double[] {d + 1, p / k, t / k});
    }
    return out;
  }

  List<Finding> findings(MonitorSettings s) {
    List<Finding> out = new ArrayList<>();
    if (customers < s.minCustomers()) {
      out.add(new Finding(Finding.NOTICE, "calibration", "customers", customers, s.minCustomers(),
          "valuetier.monitor.calibration.min-customers",
          String.format(Locale.ROOT, "calibration of run %s (cutoff %s) covers %d customers, fewer than %d "
              + "(valuetier.monitor.calibration.min-customers): not judged", runId, cutoff, customers,
              s.minCustomers())));
      return out;
    }
    if (!Double.isFinite(totalRatio) || Math.abs(totalRatio - 1) > s.totalBand()) {
      out.add(new Finding(Finding.WARN, "calibration", "total_ratio", totalRatio, s.totalBand(),
          "valuetier.monitor.calibration.total-band",
          String.format(Locale.ROOT, "%s predicted %,.0f for %s..%s, the customers spent %,.0f: ratio %.2f is "
              + "outside 1 +- %.2f (valuetier.monitor.calibration.total-band)", modelId, predictedTotal,
              cutoff.plusDays(1), cutoff.plusDays(horizonDays), actualTotal, totalRatio, s.totalBand())));
    }
    if (Double.isFinite(validationGini) && validationGini - normalizedGini > s.maxGiniDrop()) {
      out.add(new Finding(Finding.WARN, "calibration", "normalized_gini", normalizedGini, s.maxGiniDrop(),
          "valuetier.monitor.calibration.max-gini-drop",
          String.format(Locale.ROOT, "%s ranks customers worse than when validated: realised normalized Gini %.3f vs "
              + "%.3f on its card, a drop of %.3f > %.2f (valuetier.monitor.calibration.max-gini-drop)", modelId,
              normalizedGini, validationGini, validationGini - normalizedGini, s.maxGiniDrop())));
    }
    return out;
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("model_id", modelId);
    m.put("cutoff", cutoff.toString());
    m.put("horizon_days", horizonDays);
    m.put("window", cutoff.plusDays(1) + ".." + cutoff.plusDays(horizonDays));
    m.put("customers", customers);
    m.put("predicted_total", predictedTotal);
    m.put("actual_total", actualTotal);
    m.put("total_ratio", totalRatio);
    m.put("brier", brier);
    m.put("spearman", spearman);
    m.put("normalized_gini", normalizedGini);
    m.put("validation_gini", Double.isNaN(validationGini) ? null : validationGini);
    List<Map<String, Object>> d = new ArrayList<>();
    for (double[] row : deciles) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("decile", (int) row[0]);
      r.put("mean_predicted", row[1]);
      r.put("mean_actual", row[2]);
      d.add(r);
    }
    m.put("deciles", d);
    return m;
  }
}
