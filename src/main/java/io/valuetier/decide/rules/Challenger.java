package io.valuetier.decide.rules;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.util.SaltedHash;
import java.nio.file.Path;

/**
 * A challenger rule set and the share of customers it decides. A customer goes to the challenger when the hash of
 * (salt, customer id) falls below the share: the same customers in every run, whatever their facts, and independent
 * of the control groups (whose hash also covers the action and uses its own salt).
 *
 * @param ruleSet the validated, tested challenger
 * @param share the share of customers it decides, from 0 up to (not including) 1
 * @param salt the salt of the assignment hash ({@value #SALT_KEY})
 */
public record Challenger(RuleSet ruleSet, double share, String salt) {
  /** The role of the rule set that decides everybody not assigned to a challenger. */
  public static final String CHAMPION = "champion";
  /** The role of the challenger rule set. */
  public static final String CHALLENGER = "challenger";

  public static final String DIR_KEY = "valuetier.decide.challenger.dir";
  public static final String SHARE_KEY = "valuetier.decide.challenger.share";
  public static final String SALT_KEY = "valuetier.decide.challenger.salt";

  public Challenger {
    checkShare(share);
  }

  private static void checkShare(double share) {
    if (!(share >= 0 && share < 1)) {
      throw new ConfigException("setting '" + SHARE_KEY + "' = " + share
          + " must be a share from 0 up to (not including) 1");
    }
  }

  /** Where the challenger's files are and how customers are assigned to it (settings {@code valuetier.decide.challenger.*}). */
  public record Config(Path dir, double share, String salt) {
    public Config {
      checkShare(share);
    }

    /** Whether a challenger is configured (a folder and a share above zero). */
    public boolean enabled() {
      return dir != null && share > 0;
    }

    /** Off: no challenger. */
    public static Config none() {
      return new Config(null, 0, "");
    }

    /**
     * From {@value #DIR_KEY} (empty = off; relative to the installation folder), {@value #SHARE_KEY} and
     * {@value #SALT_KEY}.
     */
    public static Config from(Settings s) {
      String dir = s.get(DIR_KEY, "");
      if (dir.isBlank()) {
        return none();
      }
      return new Config(
          s.home().resolve(dir.strip()).normalize(),
          s.doubleValue(SHARE_KEY, 0, 0.999999),
          s.get(SALT_KEY, "valuetier-challenger"));
    }
  }

  /** Whether {@code customerId} is decided by the challenger. */
  public boolean assigned(String customerId) {
    return share > 0 && unit(salt, customerId) < share;
  }

  /** A number in [0, 1) from the salt and the customer id (the first 53 bits of their SHA-256). */
  public static double unit(String salt, String customerId) {
    return SaltedHash.unit(salt, customerId);
  }
}
