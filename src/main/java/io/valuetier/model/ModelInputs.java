package io.valuetier.model;

import io.valuetier.features.Feature;
import io.valuetier.features.FeatureTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The columns a model reads, named, for drift monitoring: the behavioural features marked as model inputs
 * ({@link Feature#modelInput()}), plus the four BTYD inputs computed with the model's own fitted BG/NBD and
 * Gamma-Gamma when it has them (learned models at their training horizon, the BTYD model at its horizon).
 */
public final class ModelInputs {
  private ModelInputs() {}

  /** Column name to values, one value per row of {@code table}, in input order. */
  public static Map<String, double[]> columns(ValueModel model, FeatureTable table) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Feature f : Feature.values()) {
      if (f.modelInput()) {
        out.put(f.id(), table.column(f));
      }
    }
    BtydFeatures btyd = null;
    int days = model.horizonDays();
    if (model instanceof GbtValueModel g) {
      btyd = g.btyd();
      days = g.trainingHorizonDays();
    } else if (model instanceof MlpValueModel m) {
      btyd = m.btyd();
      days = m.trainingHorizonDays();
    } else if (model instanceof BtydValueModel bm) {
      btyd = bm.btyd();
    }
    if (btyd != null) {
      int n = table.size();
      List<double[]> cols = new ArrayList<>();
      for (int k = 0; k < BtydFeatures.NAMES.size(); k++) {
        cols.add(new double[n]);
      }
      BtydFeatures b = btyd;
      int d = days;
      int k0 = BtydFeatures.width() - BtydFeatures.NAMES.size();
      IntStream.range(0, n).parallel().forEach(i -> {
        double[] in = b.input(table.row(i), d);
        for (int k = 0; k < cols.size(); k++) {
          cols.get(k)[i] = in[k0 + k];
        }
      });
      for (int k = 0; k < cols.size(); k++) {
        out.put(BtydFeatures.NAMES.get(k), cols.get(k));
      }
    }
    return out;
  }
}
