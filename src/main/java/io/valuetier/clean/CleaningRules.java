package io.valuetier.clean;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * The thresholds of cleaning, from {@code valuetier.clean.*} settings.
 *
 * @param maxAbsQuantity quantities beyond this are rejected as absurd
 * @param maxUnitPrice unit prices beyond this are rejected as absurd
 * @param outlierQuantity lines whose absolute quantity exceeds this are kept but flagged as outliers
 * @param outlierAmount lines whose absolute amount exceeds this are kept but flagged as outliers
 * @param latestAllowed dates after this are rejected as future dates
 * @param earliestAllowed dates before this are rejected as unreadable
 * @param defaultCurrency the currency of sources that do not say
 */
public record CleaningRules(
    BigDecimal maxAbsQuantity,
    BigDecimal maxUnitPrice,
    BigDecimal outlierQuantity,
    BigDecimal outlierAmount,
    LocalDateTime latestAllowed,
    LocalDateTime earliestAllowed,
    String defaultCurrency) {

  public CleaningRules {
    if (!defaultCurrency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("default currency '" + defaultCurrency + "' is not a 3-letter ISO 4217 code");
    }
  }

  /** Rules from settings; {@code now} anchors the future-date check. */
  public static CleaningRules from(Settings s, LocalDateTime now) {
    String currency = s.require("valuetier.clean.default-currency");
    if (!currency.matches("[A-Z]{3}")) {
      throw new ConfigException(
          "setting 'valuetier.clean.default-currency' = '" + currency + "' must be a 3-letter ISO 4217 code such as GBP");
    }
    return new CleaningRules(
        BigDecimal.valueOf(s.doubleValue("valuetier.clean.max-abs-quantity", 1, 1e12)),
        BigDecimal.valueOf(s.doubleValue("valuetier.clean.max-unit-price", 1, 1e12)),
        BigDecimal.valueOf(s.doubleValue("valuetier.clean.outlier-quantity", 1, 1e12)),
        BigDecimal.valueOf(s.doubleValue("valuetier.clean.outlier-amount", 1, 1e12)),
        now.plusHours(s.longValue("valuetier.clean.future-tolerance-hours", 0, 24L * 366)),
        LocalDateTime.of(s.intValue("valuetier.clean.earliest-year", 1970, 2100), 1, 1, 0, 0),
        currency);
  }
}
