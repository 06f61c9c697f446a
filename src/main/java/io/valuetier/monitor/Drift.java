package io.valuetier.monitor;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.FeatureProfile;
import io.valuetier.model.ModelInputs;
import io.valuetier.model.ValueModel;
import io.valuetier.records.Finding;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feature drift: PSI of every model input between the champion's training population (its {@link FeatureProfile})
 * and the customers with a purchase by the cutoff being scored now.
 *
 * @param modelId the champion
 * @param trainingCutoff the day the training population's features were computed
 * @param trainingCustomers customers in the training population
 * @param cutoff the day of the scored population's features
 * @param customers customers in the scored population
 * @param psi per input, in input order
 */
public record Drift(
    String modelId,
    String trainingCutoff,
    int trainingCustomers,
    LocalDate cutoff,
    int customers,
    Map<String, Double> psi) {

  /** Compares the population of {@code log} at {@code cutoff} with the champion's profile. */
  public static Drift of(String modelId, ValueModel model, FeatureProfile profile, CustomerLog log, LocalDate cutoff) {
    FeatureTable now = FeatureTable.at(log, (int) cutoff.toEpochDay(), new FeatureBuilder(model.featureSpec()));
    return new Drift(
        modelId, profile.cutoff(), profile.customers(), cutoff, now.size(),
        profile.psi(ModelInputs.columns(model, now)));
  }

  /** The largest PSI. */
  public double max() {
    return psi.values().stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(0);
  }

  List<Finding> findings(MonitorSettings s) {
    List<Finding> out = new ArrayList<>();
    psi.forEach((feature, v) -> {
      if (v > s.psiWarn()) {
        out.add(new Finding(Finding.WARN, "drift", feature, v, s.psiWarn(), "valuetier.monitor.psi.warn",
            String.format(Locale.ROOT, "%s has shifted: PSI %.3f > %.2f (valuetier.monitor.psi.warn) between the "
                + "training population of %s (%s) and the customers at %s", feature, v, s.psiWarn(), modelId,
                trainingCutoff, cutoff)));
      } else if (v > s.psiNotice()) {
        out.add(new Finding(Finding.NOTICE, "drift", feature, v, s.psiNotice(), "valuetier.monitor.psi.notice",
            String.format(Locale.ROOT, "%s moved moderately: PSI %.3f > %.2f (valuetier.monitor.psi.notice)",
                feature, v, s.psiNotice())));
      }
    });
    return out;
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_id", modelId);
    m.put("training_cutoff", trainingCutoff);
    m.put("training_customers", trainingCustomers);
    m.put("cutoff", cutoff.toString());
    m.put("customers", customers);
    m.put("max_psi", max());
    m.put("psi", psi);
    return m;
  }
}
