package io.valuetier.pipeline;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import java.nio.file.Path;

/**
 * The {@code valuetier.run.*} settings of the main job, checked when read: a bad value stops the run with the key,
 * the value and where it came from.
 *
 * @param transactions the transaction file {@code run} works on without options
 * @param format its layout
 * @param customers the customer facts file, or null for none
 * @param report where the HTML report goes
 * @param minCalibrationDays the holdout evaluation needs this many days of data before the last horizon
 * @param challenge whether the model step is the retrain check ({@code retrain-policy=challenge}) instead of a plain
 *     retrain when the data changed ({@code train}, the default)
 * @param retrainAfterDays the main job trains again once the data runs this many days past the champion's
 *     calibration end (see {@link ModelStep}); before that it scores with the champion
 * @param retrainOnDrift whether an input's drift (PSI at or above {@code valuetier.monitor.psi.warn}) makes it train
 * @param evaluationMaxCustomers the holdout evaluation runs on a seeded sample of at most this many customers
 */
public record RunSettings(
    Path transactions, TransactionFormat format, Path customers, Path report, int minCalibrationDays, boolean challenge,
    int retrainAfterDays, boolean retrainOnDrift, int evaluationMaxCustomers) {

  /** Reads and checks the settings. */
  public static RunSettings from(Settings s) {
    String customers = s.get("valuetier.run.customers", null);
    return new RunSettings(
        s.path("valuetier.run.transactions"),
        format(s),
        customers == null ? null : s.home().resolve(customers),
        s.path("valuetier.run.report"),
        s.intValue("valuetier.run.min-calibration-days", 30, 36_500),
        challenge(s),
        s.intValue("valuetier.run.retrain-after-days", 1, 36_500),
        s.bool("valuetier.run.retrain-on-drift"),
        s.intValue("valuetier.run.evaluation.max-customers", 1_000, 100_000_000));
  }

  private static TransactionFormat format(Settings s) {
    String key = "valuetier.run.format";
    String raw = s.require(key);
    try {
      return TransactionFormat.of(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("setting '" + key + "' = '" + raw + "' (from " + s.origin(key) + "): " + e.getMessage(), e);
    }
  }

  private static boolean challenge(Settings s) {
    String key = "valuetier.run.retrain-policy";
    String p = s.get(key, "train").trim();
    return switch (p) {
      case "train" -> false;
      case "challenge" -> true;
      default -> throw new ConfigException(
          "setting '" + key + "' = '" + p + "' (from " + s.origin(key) + ") must be train or challenge");
    };
  }
}
