package io.valuetier.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which settings exist and what their values may be, checked once at start-up so that a misspelt key or a bad value
 * is reported before any stage runs, not minutes later.
 *
 * <p>The known keys are those of the shipped {@code config/application.properties} (it lists every key with a
 * comment; the build copies it into the jar as {@value #DEFAULTS}), so a key added there is known without touching
 * this class. The values of keys read directly (not through a validated record such as {@code ModelSettings},
 * {@code CleaningRules} or {@code MonitorSettings}) are checked by the table here.
 */
public final class SettingsSchema {
  /** The shipped defaults inside the jar. */
  public static final String DEFAULTS = "/io/valuetier/config/application.properties";

  /** Keys that are not in the defaults file but are valid: set by the program or by a per-action map. */
  private static final Set<String> BUILT_IN = Set.of("valuetier.home", "valuetier.profile");

  private static final List<String> PREFIXES = List.of("valuetier.feedback.control.share.");

  /** Environment variables of the launcher and of logging, which are not settings. */
  private static final Set<String> NOT_SETTINGS = Set.of(
      "VALUETIER_JAVA_HOME", "VALUETIER_JAVA_OPTS", "VALUETIER_NO_BUILD", "VALUETIER_NO_INSTALL", "VALUETIER_DEBUG",
      "VALUETIER_LOG_LEVEL", "VALUETIER_PROFILE", "VALUETIER_HOME");

  /** Checks of the keys read directly, by key. */
  private static final Map<String, Consumer<Settings>> CHECKS = new LinkedHashMap<>();

  static {
    whole("valuetier.db.pool-size", 1, 64);
    // the distributed batch (run --workers): buckets per run, and how long the coordinator waits for them
    whole("valuetier.kafka.buckets", 1, 128);
    whole("valuetier.kafka.batch-deadline-minutes", 1, 10_080);
    whole("valuetier.errors.max-redeliveries", 0, 100);
    whole("valuetier.errors.redelivery-delay-ms", 0, 600_000);
    whole("valuetier.http.port", 1, 65535);
    whole("valuetier.http.max-body-bytes", 1024, 1L << 30);
    whole("valuetier.http.worker-threads", 0, 1024);
    whole("valuetier.model.rolling-choice.max-days", 0, 3650);
    number("valuetier.model.rolling-choice.worst-guard", 0, 1);
    flag("valuetier.api.watch-rules");
    // the Kafka routes of routes/ (kafka-events-in, kafka-actions-out, kafka-dead-letters-out): off unless true
    flag("valuetier.kafka.routes.enabled");
    flag("valuetier.db.h2.compact-while-serving");
    whole("valuetier.whatif.sample-size", 0, 10_000);
    whole("valuetier.ingest.chunk-size", 100, 1_000_000);
    whole("valuetier.ingest.max-record-lines", 1, 10_000);
    whole("valuetier.decide.fatigue.max-contacts", 0, 1000);
    whole("valuetier.decide.fatigue.window-days", 1, 3650);
    whole("valuetier.decide.trace.retention-days", 1, 36_500);
    whole("valuetier.decide.batch-size", 1, 1_000_000);
    whole("valuetier.decide.threads", 0, 256);
    whole("valuetier.decide.insert-rows", 1, 10_000);
    whole("valuetier.decide.watch.debounce-ms", 10, 60_000);
    number("valuetier.decide.challenger.share", 0, 1);
    number("valuetier.feedback.control.share", 0, 0.999);
    whole("valuetier.features.recent-window-days", 7, 3660);
    whole("valuetier.monitor.calibration.panel", 0, Integer.MAX_VALUE);
    whole("valuetier.publish.batch-size", 1, 100_000);
    whole("valuetier.retrain.holdout-days", 7, 3650);
    number("valuetier.retrain.min-improvement", 0, 1);
    flag("valuetier.retrain.on-warnings");
    whole("valuetier.run.min-calibration-days", 30, 36_500);
    oneOf("valuetier.run.retrain-policy", "train", "challenge");
    whole("valuetier.run.retrain-after-days", 1, 36_500);
    flag("valuetier.run.retrain-on-drift");
    whole("valuetier.run.evaluation.max-customers", 1_000, 100_000_000);
    CHECKS.put("valuetier.decide.offer-budget", s -> {
      String v = s.get("valuetier.decide.offer-budget", "");
      if (!v.isEmpty() && !v.equalsIgnoreCase("unlimited")) {
        s.doubleValue("valuetier.decide.offer-budget", 0, 1e15);
      }
    });
  }

  private SettingsSchema() {}

  private static void whole(String key, long min, long max) {
    CHECKS.put(key, s -> {
      if (!s.get(key, "").isEmpty()) {
        s.longValue(key, min, max);
      }
    });
  }

  private static void number(String key, double min, double max) {
    CHECKS.put(key, s -> {
      if (!s.get(key, "").isEmpty()) {
        s.doubleValue(key, min, max);
      }
    });
  }

  private static void flag(String key) {
    CHECKS.put(key, s -> {
      if (!s.get(key, "").isEmpty()) {
        s.bool(key);
      }
    });
  }

  private static void oneOf(String key, String... allowed) {
    CHECKS.put(key, s -> {
      String v = s.get(key, "");
      if (!v.isEmpty() && !List.of(allowed).contains(v.strip())) {
        throw new ConfigException("setting '" + key + "' = '" + v + "' (from " + s.origin(key) + ") must be one of "
            + String.join(", ", allowed));
      }
    });
  }

  /** Checks the value of every key read directly; the first bad one fails with its key, value and origin. */
  public static void checkValues(Settings s) {
    CHECKS.values().forEach(c -> c.accept(s));
  }

  /**
   * The known keys: those of the shipped defaults, else (a build without them) those of the installation's
   * {@code config/application.properties}.
   */
  public static Set<String> knownKeys(Path home) {
    Properties p = new Properties();
    try (InputStream in = SettingsSchema.class.getResourceAsStream(DEFAULTS)) {
      if (in != null) {
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      } else {
        Path base = home.resolve("config/application.properties");
        if (Files.isRegularFile(base)) {
          try (Reader r = Files.newBufferedReader(base, StandardCharsets.UTF_8)) {
            p.load(r);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the settings' defaults: " + e.getMessage(), e);
    }
    Set<String> keys = new TreeSet<>(p.stringPropertyNames());
    keys.addAll(BUILT_IN);
    return keys;
  }

  /** Whether {@code key} is a setting: known, built in, or under a per-action prefix. */
  public static boolean isKnown(Set<String> known, String key) {
    return known.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** Whether the environment variable {@code name} is one of valuetier's but not a setting (launcher, logging). */
  public static boolean notASetting(String name) {
    return NOT_SETTINGS.contains(name);
  }

  /** The known key nearest to {@code key} by edit distance, when near enough to be a likely misspelling. */
  public static String didYouMean(Set<String> known, String key) {
    return nearest(known, key, k -> k);
  }

  /** The known key whose environment variable is nearest to {@code envName}. */
  public static String didYouMeanEnv(Set<String> known, String envName) {
    return nearest(known, envName, Settings::envName);
  }

  private static String nearest(Set<String> known, String word, Function<String, String> as) {
    record Candidate(String key, int distance) {}
    List<Candidate> all = new ArrayList<>();
    for (String k : known) {
      all.add(new Candidate(k, editDistance(as.apply(k), word)));
    }
    return all.stream()
        .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::key))
        .filter(c -> c.distance() <= Math.max(2, word.length() / 4))
        .map(Candidate::key)
        .orElse(null);
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
