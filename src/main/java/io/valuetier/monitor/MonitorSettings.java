package io.valuetier.monitor;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;

/**
 * The {@code valuetier.monitor.*} thresholds, checked when read (a bad value stops with the key, the value and where
 * it came from).
 *
 * @param psiNotice a feature's PSI above this is a notice
 * @param psiWarn a feature's PSI above this is a warning
 * @param totalBand predicted/actual total outside {@code 1 +- totalBand} is a warning
 * @param maxGiniDrop a realised normalized Gini lower than the model card's validation figure by more than this is a
 *     warning
 * @param minCustomers calibration on fewer customers is not judged (a notice says so)
 * @param tierPsiWarn PSI of the tier mix between the last two decision runs above this is a warning (above
 *     {@code psiNotice} a notice)
 * @param hitRatePoints a rule row or guardrail whose hit rate moved by more than this many percentage points is a
 *     warning
 */
public record MonitorSettings(
    double psiNotice,
    double psiWarn,
    double totalBand,
    double maxGiniDrop,
    int minCustomers,
    double tierPsiWarn,
    double hitRatePoints) {

  public static MonitorSettings from(Settings s) {
    double notice = s.doubleValue("valuetier.monitor.psi.notice", 0, 100);
    double warn = s.doubleValue("valuetier.monitor.psi.warn", 0, 100);
    if (warn < notice) {
      throw new ConfigException(
          "valuetier.monitor.psi.warn (" + warn + ") must not be below valuetier.monitor.psi.notice (" + notice
              + ")");
    }
    return new MonitorSettings(
        notice,
        warn,
        s.doubleValue("valuetier.monitor.calibration.total-band", 0, 100),
        s.doubleValue("valuetier.monitor.calibration.max-gini-drop", 0, 2),
        s.intValue("valuetier.monitor.calibration.min-customers", 1, Integer.MAX_VALUE),
        s.doubleValue("valuetier.monitor.decisions.tier-psi-warn", 0, 100),
        s.doubleValue("valuetier.monitor.decisions.hit-rate-points", 0, 100));
  }
}
