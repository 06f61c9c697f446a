package io.valuetier.model.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.Prediction;
import io.valuetier.model.ValueModel;
import io.valuetier.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden set saved with each model ({@code golden.json}: feature vectors and the predictions the model made on
 * them), and the check on loading that the model still makes them.
 */
final class GoldenCheck {
  private static final int GOLDEN_ROWS = 16;

  private GoldenCheck() {}

  /** Up to 16 evenly spaced rows of {@code table} with the model's predictions on them. */
  static Map<String, Object> goldenSet(ValueModel model, FeatureTable table) {
    List<Map<String, Object>> rows = new ArrayList<>();
    int n = table.size();
    int k = Math.min(GOLDEN_ROWS, n);
    for (int i = 0; i < k; i++) {
      int row = (int) ((long) n * i / k);
      double[] x = table.row(row);
      Prediction p = model.predict(x);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("customer_id", table.id(row));
      r.put("features", x);
      r.put("spend", p.spend());
      r.put("probability", p.probability());
      rows.add(r);
    }
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("cutoff", table.cutoff().toString());
    g.put("tolerance", "relative " + GOLDEN_TOLERANCE);
    g.put("rows", rows);
    return g;
  }
  /** Compares the model's predictions with the golden set saved with it. */
  static void check(ValueModel model, Path golden) throws IOException {
    JsonNode g = Json.MAPPER.readTree(golden.toFile());
    int i = 0;
    for (JsonNode row : g.path("rows")) {
      JsonNode f = row.path("features");
      double[] x = new double[f.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = f.get(j).asDouble();
      }
      Prediction p = model.predict(x);
      compare(golden, i, "spend", row.path("spend").asDouble(), p.spend());
      compare(golden, i, "probability", row.path("probability").asDouble(), p.probability());
      i++;
    }
    if (i == 0) {
      throw new RegistryException(golden + " holds no golden rows");
    }
  }

  /**
   * How far a golden prediction may move. The MLP's matrix products run in OpenBLAS, whose kernels (chosen by CPU and
   * thread count) differ in the last bits: 5e-8 relative was seen between two machines of the same kind. A changed
   * model, feature or scoring code moves predictions by far more than this.
   */
  static final double GOLDEN_TOLERANCE = 1e-6;

  private static void compare(Path golden, int row, String what, double expected, double actual) {
    if (Math.abs(expected - actual) > GOLDEN_TOLERANCE * Math.max(1, Math.abs(expected))) {
      throw new RegistryException(
          "the model predicts " + what + " " + actual + " for golden row " + row + " of " + golden + ", but "
              + expected + " when it was saved: the model or the code that runs it changed; retrain with "
              + "`valuetier train`");
    }
  }}
