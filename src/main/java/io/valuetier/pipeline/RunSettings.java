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
 */
public record RunSettings(
    Path transactions, TransactionFormat format, Path customers, Path report, int minCalibrationDays, boolean challenge) {

  /** Reads and checks the settings. */
  public static RunSettings from(Settings s) {
    String customers = s.get("valuetier.run.customers", null);
    return new RunSettings(
        s.path("valuetier.run.transactions"),
        format(s),
        customers == null ? null : s.home().resolve(customers),
        s.path("valuetier.run.report"),
        s.intValue("valuetier.run.min-calibration-days", 30, 36_500),
        challenge(s));
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
