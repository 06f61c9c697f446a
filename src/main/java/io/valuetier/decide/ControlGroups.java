package io.valuetier.decide;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.util.SaltedHash;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which customers are held out of an action as its control group: a configured share per action code, chosen by a
 * hash of (salt, customer id, action), so that the choice is the same in every run and independent between actions
 * and of everything the rules look at. A held-out customer gets no contact; the trace says so, and the outcome of
 * the held-out customers is what the action's uplift is measured against.
 */
public final class ControlGroups {
  private final double defaultShare;
  private final Map<String, Double> shares;
  private final String salt;

  public ControlGroups(double defaultShare, Map<String, Double> shares, String salt) {
    check("valuetier.feedback.control.share", defaultShare);
    shares.forEach((k, v) -> check("valuetier.feedback.control.share." + k, v));
    this.defaultShare = defaultShare;
    this.shares = Map.copyOf(shares);
    this.salt = salt;
  }

  private static void check(String key, double share) {
    if (!(share >= 0 && share < 1)) {
      throw new ConfigException("setting '" + key + "' = " + share + " must be a share from 0 up to (not including) 1");
    }
  }

  /** From {@code valuetier.feedback.control.share} (all actions) and {@code ...share.ACTION_CODE} (one action). */
  public static ControlGroups from(Settings s) {
    Map<String, Double> per = new HashMap<>();
    String prefix = "valuetier.feedback.control.share.";
    for (String key : s.asProperties().stringPropertyNames()) {
      if (key.startsWith(prefix) && !s.get(key, "").isBlank()) {
        per.put(key.substring(prefix.length()).toUpperCase(Locale.ROOT), s.doubleValue(key, 0, 0.999));
      }
    }
    return new ControlGroups(
        s.doubleValue("valuetier.feedback.control.share", 0, 0.999), per, s.get("valuetier.feedback.control.salt", "valuetier"));
  }

  /** No control groups: nobody is held out. */
  public static ControlGroups none() {
    return new ControlGroups(0, Map.of(), "");
  }

  /** Whether some action has a share above zero. */
  public boolean enabled() {
    return defaultShare > 0 || shares.values().stream().anyMatch(v -> v > 0);
  }

  /** The share of customers held out of {@code action}. */
  public double share(String action) {
    return action == null ? 0 : shares.getOrDefault(action.toUpperCase(Locale.ROOT), defaultShare);
  }

  /** Whether {@code customerId} is in the control group of {@code action}. */
  public boolean heldOut(String customerId, String action) {
    double share = share(action);
    if (share <= 0) {
      return false;
    }
    return unit(customerId, action) < share;
  }

  /** A number in [0, 1) from the salt, the customer and the action (the first 53 bits of their SHA-256). */
  public double unit(String customerId, String action) {
    return SaltedHash.unit(salt, customerId, action);
  }

  @Override
  public String toString() {
    return "control groups: " + (int) Math.round(100 * defaultShare) + "% per action" + (shares.isEmpty() ? "" : ", " + shares);
  }
}
