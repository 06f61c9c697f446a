package io.valuetier.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged configuration of one run: {@code config/application.properties}, then the profile overlay
 * {@code config/application-PROFILE.properties}, then environment variables ({@code valuetier.db.url} is read from
 * {@code VALUETIER_DB_URL}), then explicit overrides (command-line options). Later sources win.
 *
 * <p>Typed getters fail fast with a {@link ConfigException} that names the key, the value and where it came from.
 */
public final class Settings {

  private final Path home;
  private final Map<String, String> values;
  private final Map<String, String> origins;
  private final List<String> warnings;

  private Settings(Path home, Map<String, String> values, Map<String, String> origins) {
    this(home, values, origins, List.of());
  }

  private Settings(Path home, Map<String, String> values, Map<String, String> origins, List<String> warnings) {
    this.home = home;
    this.values = values;
    this.origins = origins;
    this.warnings = warnings;
  }

  /** Loads the settings of the installation at {@code home}. */
  public static Settings load(Path home, String profile, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> origins = new TreeMap<>();
    Path base = home.resolve("config/application.properties");
    readInto(base, values, origins);
    String activeProfile = profile;
    if (activeProfile == null || activeProfile.isBlank()) {
      activeProfile = env.getOrDefault("VALUETIER_PROFILE", values.get("valuetier.profile"));
    }
    if (activeProfile != null && !activeProfile.isBlank()) {
      Path overlay = home.resolve("config/application-" + activeProfile.strip() + ".properties");
      if (!Files.isRegularFile(overlay)) {
        throw new ConfigException("profile '" + activeProfile + "' has no file " + overlay);
      }
      readInto(overlay, values, origins);
    }
    for (String key : Map.copyOf(values).keySet()) {
      String envName = envName(key);
      String fromEnv = env.get(envName);
      if (fromEnv != null) {
        values.put(key, fromEnv);
        origins.put(key, "environment variable " + envName);
      }
    }
    overrides.forEach(
        (k, v) -> {
          if (v != null) {
            values.put(k, v);
            origins.put(k, "command line");
          }
        });
    List<String> warnings = unknownKeys(home, values, origins, env);
    Path abs = home.toAbsolutePath().normalize();
    values.put("valuetier.home", abs.toString());
    origins.put("valuetier.home", "installation folder");
    resolvePlaceholders(values);
    return new Settings(abs, values, origins, List.copyOf(warnings));
  }

  /** Settings for the installation at {@code home} with the process environment. */
  public static Settings load(Path home, Map<String, String> overrides) {
    return load(home, null, System.getenv(), overrides);
  }

  /**
   * Keys that no part of valuetier reads: a misspelt key in a properties file or an environment variable that maps
   * to no key would otherwise be ignored without a word. Each warning names where the key came from and the nearest
   * known key.
   */
  private static List<String> unknownKeys(
      Path home, Map<String, String> values, Map<String, String> origins, Map<String, String> env) {
    Set<String> known = SettingsSchema.knownKeys(home);
    List<String> out = new ArrayList<>();
    for (String key : values.keySet()) {
      if (key.startsWith("valuetier.") && !SettingsSchema.isKnown(known, key)) {
        String near = SettingsSchema.didYouMean(known, key);
        out.add("unknown setting '" + key + "' in " + origins.get(key) + " is ignored"
            + (near == null ? "" : "; did you mean '" + near + "'?"));
      }
    }
    Set<String> knownEnv = new HashSet<>();
    known.forEach(k -> knownEnv.add(envName(k)));
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("VALUETIER_") && !knownEnv.contains(name) && !SettingsSchema.notASetting(name)) {
        String near = SettingsSchema.didYouMeanEnv(known, name);
        out.add("unknown environment variable " + name + " is ignored (it maps to no setting)"
            + (near == null ? "" : "; did you mean " + envName(near) + " (" + near + ")?"));
      }
    }
    return out;
  }

  /** Warnings found while loading: unknown keys and environment variables, each with a did-you-mean. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Replaces {@code {{other.key}}} in values by that setting's value, as Camel does for routes, so that Java code
   * reads the same paths the routes see. Unknown keys are left for Camel to report.
   */
  private static void resolvePlaceholders(Map<String, String> values) {
    Pattern p = Pattern.compile("\\{\\{([^{}]+)}}");
    for (int pass = 0; pass < 5; pass++) {
      boolean changed = false;
      for (Map.Entry<String, String> e : values.entrySet()) {
        Matcher m = p.matcher(e.getValue());
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        while (m.find()) {
          String ref = values.get(m.group(1).strip());
          if (ref != null && !m.group(1).strip().equals(e.getKey())) {
            m.appendReplacement(sb, Matcher.quoteReplacement(ref));
            any = true;
          } else {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
          }
        }
        if (any) {
          m.appendTail(sb);
          e.setValue(sb.toString());
          changed = true;
        }
      }
      if (!changed) {
        return;
      }
    }
  }

  /** The environment variable that overrides {@code key}: upper case, dots and dashes as underscores. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static void readInto(Path file, Map<String, String> values, Map<String, String> origins) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (String k : p.stringPropertyNames()) {
      values.put(k, p.getProperty(k).strip());
      origins.put(k, file.toString());
    }
  }

  /** The installation folder: routes/, dmn/, rules/, models/, config/ and data/ are resolved against it. */
  public Path home() {
    return home;
  }

  /** A folder or file setting, resolved against the installation folder when relative. */
  public Path path(String key) {
    return home.resolve(require(key));
  }

  public String get(String key, String fallback) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? fallback : v;
  }

  public String require(String key) {
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw new ConfigException("missing setting '" + key + "' (set it in config/application.properties or "
          + envName(key) + ")");
    }
    return v;
  }

  public int intValue(String key, int min, int max) {
    long v = longValue(key, min, max);
    return (int) v;
  }

  public long longValue(String key, long min, long max) {
    String raw = require(key);
    long v;
    try {
      v = Long.parseLong(raw.replace("_", ""));
    } catch (NumberFormatException e) {
      throw bad(key, raw, "a whole number");
    }
    if (v < min || v > max) {
      throw bad(key, raw, "a number between " + min + " and " + max);
    }
    return v;
  }

  public double doubleValue(String key, double min, double max) {
    String raw = require(key);
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw bad(key, raw, "a number");
    }
    if (!(v >= min && v <= max)) {
      throw bad(key, raw, "a number between " + min + " and " + max);
    }
    return v;
  }

  public boolean bool(String key) {
    String raw = require(key);
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw bad(key, raw, "true or false");
    };
  }

  private ConfigException bad(String key, String raw, String expected) {
    return new ConfigException(
        "setting '" + key + "' = '" + raw + "' (from " + origins.getOrDefault(key, "?") + ") must be " + expected);
  }

  /** Every setting, for Camel's property placeholders. */
  public Properties asProperties() {
    Properties p = new Properties();
    values.forEach(p::setProperty);
    return p;
  }

  /** Where a setting came from: a file, an environment variable or the command line. */
  public String origin(String key) {
    return origins.getOrDefault(key, "default");
  }

  /** A copy with some values replaced, for tests and for commands that derive settings. */
  public Settings with(Map<String, String> overrides) {
    Map<String, String> v = new TreeMap<>(values);
    Map<String, String> o = new TreeMap<>(origins);
    overrides.forEach(
        (k, val) -> {
          v.put(k, val);
          o.put(k, "override");
        });
    return new Settings(home, v, o);
  }
}
