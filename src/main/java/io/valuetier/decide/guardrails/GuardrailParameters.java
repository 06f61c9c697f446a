package io.valuetier.decide.guardrails;

import io.valuetier.config.Settings;
import java.math.BigDecimal;

/**
 * The numbers the guardrails use, from {@code valuetier.decide.*} settings (the DRL reads them as the global
 * {@code params}).
 *
 * @param maxContacts at most this many marketing contacts per customer within the window
 * @param contactWindowDays the contact-fatigue window in days
 * @param offerBudget the total cost of offers one decision run may grant (null: unlimited)
 */
public record GuardrailParameters(int maxContacts, int contactWindowDays, BigDecimal offerBudget) {

  public GuardrailParameters {
    if (maxContacts < 0 || contactWindowDays < 1) {
      throw new IllegalArgumentException("maxContacts must be >= 0 and contactWindowDays >= 1");
    }
  }

  /** From {@code valuetier.decide.fatigue.max-contacts}, {@code .fatigue.window-days} and {@code .offer-budget}. */
  public static GuardrailParameters from(Settings s) {
    String budget = s.get("valuetier.decide.offer-budget", "");
    BigDecimal b = null;
    if (!budget.isBlank() && !budget.equalsIgnoreCase("unlimited")) {
      b = BigDecimal.valueOf(s.doubleValue("valuetier.decide.offer-budget", 0, 1e15));
    }
    return new GuardrailParameters(
        s.intValue("valuetier.decide.fatigue.max-contacts", 0, 1000),
        s.intValue("valuetier.decide.fatigue.window-days", 1, 3650),
        b);
  }

  /** The maximum number of contacts in the window (for the DRL). */
  public int getMaxContacts() {
    return maxContacts;
  }

  /** The window in days (for the DRL). */
  public int getContactWindowDays() {
    return contactWindowDays;
  }
}
