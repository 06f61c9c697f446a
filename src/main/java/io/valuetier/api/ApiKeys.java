package io.valuetier.api;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of {@code valuetier serve}, per role, from the settings {@code valuetier.api.keys.<role>} (comma
 * separated, several per role so that a key can be rotated). Each entry is either {@code sha256:<64 hex digits>} (the
 * SHA-256 of the key; recommended, so that the settings never hold a usable key) or the key itself, which is hashed
 * when read. Only the hashes are kept; a presented key is hashed and compared with every configured hash in constant
 * time ({@link MessageDigest#isEqual}), without an early exit. Nothing here is ever logged or printed.
 */
public final class ApiKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

  /** The settings that may hold keys; the server removes them from what it hands to Camel. */
  public static final String PREFIX = "valuetier.api.keys.";

  /** The deprecated single admin token; read as one more admin key. */
  public static final String LEGACY_ADMIN_TOKEN = "valuetier.api.admin-token";

  private static final String SHA256 = "sha256:";

  /** What a key may do. A key listed under several roles has each of them; no role implies another. */
  public enum Role {
    /** Decide for a customer (POST /api/v1/decisions, GET a customer's decision without its trace), post events. */
    DECIDE,
    /** Send caller-supplied facts, recent_contacts and transactions with a decision request. */
    FACTS,
    /** What-if simulations, the rule comparison, full traces of any customer, the models list. */
    ANALYST,
    /** Reload and roll back the rules, list rule-set versions, metrics. */
    ADMIN,
    /**
     * Deploy an edited rule set from the workbench and roll it back there (with {@link #ANALYST}, which opens the
     * page): an analyst who may change the rules without holding the operators' admin key (erasure, metrics).
     */
    DEPLOY,
    /** Read /metrics only (a Prometheus scraper's key). */
    METRICS;

    /** The name used in settings and answers: lower case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One configured key: its hash and the role it grants. */
  private record Entry(Role role, byte[] hash) {}

  /** Who presented a known key: its roles and a short, non-secret id (the first 8 hex digits of its hash). */
  public record Caller(Set<Role> roles, String keyId) {
    public boolean has(Role r) {
      return roles.contains(r);
    }
  }

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads {@code valuetier.api.keys.<role>} for every role (and the deprecated admin token). */
  public static ApiKeys from(Settings settings) {
    List<Entry> entries = new ArrayList<>();
    for (Role r : Role.values()) {
      String key = PREFIX + r.label();
      String raw = settings.get(key, null);
      if (raw == null) {
        continue;
      }
      int n = 0;
      for (String item : raw.split(",")) {
        n++;
        String v = item.strip();
        if (v.isEmpty()) {
          continue;
        }
        entries.add(new Entry(r, parse(key, n, v)));
      }
    }
    String legacy = settings.get(LEGACY_ADMIN_TOKEN, null);
    if (legacy != null) {
      LOG.warn("{} is deprecated: put the key, better its sha256: form (`valuetier api-key`), in {}admin; it is read"
          + " as an admin key for now", LEGACY_ADMIN_TOKEN, PREFIX);
      entries.add(new Entry(Role.ADMIN, parse(LEGACY_ADMIN_TOKEN, 1, legacy.strip())));
    }
    return new ApiKeys(entries);
  }

  private static byte[] parse(String setting, int position, String v) {
    if (v.regionMatches(true, 0, SHA256, 0, SHA256.length())) {
      String hex = v.substring(SHA256.length()).strip();
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        // the value is not echoed: it may be a mistyped key
        throw new ConfigException("setting '" + setting + "', entry " + position
            + ": after 'sha256:' give the 64 hexadecimal digits of the key's SHA-256 (`valuetier api-key` prints it)");
      }
      return HexFormat.of().parseHex(hex);
    }
    if (v.length() < 16) {
      throw new ConfigException("setting '" + setting + "', entry " + position
          + ": a key must be at least 16 characters (`valuetier api-key` makes a random one)");
    }
    return sha256(v);
  }

  /** The SHA-256 of a key's UTF-8 bytes. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** True when no key of any role is configured (every keyed endpoint is then closed). */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The roles that have at least one key; the others' endpoints are closed. */
  public Set<Role> configuredRoles() {
    Set<Role> s = EnumSet.noneOf(Role.class);
    entries.forEach(e -> s.add(e.role()));
    return s;
  }

  /** How many keys each role has (for the start-up line; never the keys). */
  public Map<Role, Integer> counts() {
    Map<Role, Integer> m = new EnumMap<>(Role.class);
    entries.forEach(e -> m.merge(e.role(), 1, Integer::sum));
    return m;
  }

  /**
   * The caller that {@code key} identifies, or null for an unknown key. Every configured hash is compared, so the
   * time taken does not tell which entry (or how much of it) matched.
   */
  public Caller identify(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    byte[] h = sha256(key);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    boolean any = false;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.hash(), h)) {
        roles.add(e.role());
        any = true;
      }
    }
    return any ? new Caller(roles, HexFormat.of().formatHex(h, 0, 4)) : null;
  }

  @Override
  public String toString() {
    return "ApiKeys" + counts();
  }
}
