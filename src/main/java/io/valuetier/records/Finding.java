package io.valuetier.records;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing monitoring found worth saying: a warning (past the warning threshold) or a notice (past the notice
 * threshold, or a check that could not run).
 *
 * @param level {@code WARN} or {@code NOTICE}
 * @param area {@code drift}, {@code calibration} or {@code decisions}
 * @param subject what it is about (a feature, a metric, a rule row)
 * @param value the measured value (NaN when not applicable)
 * @param threshold the threshold it passed (NaN when not applicable)
 * @param setting the setting that holds the threshold
 * @param message in words
 */
public record Finding(
    String level, String area, String subject, double value, double threshold, String setting, String message) {
  public static final String WARN = "WARN";
  public static final String NOTICE = "NOTICE";

  public boolean warning() {
    return WARN.equals(level);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level", level);
    m.put("area", area);
    m.put("subject", subject);
    if (!Double.isNaN(value)) {
      m.put("value", value);
    }
    if (!Double.isNaN(threshold)) {
      m.put("threshold", threshold);
    }
    if (setting != null) {
      m.put("setting", setting);
    }
    m.put("message", message);
    return m;
  }
}
