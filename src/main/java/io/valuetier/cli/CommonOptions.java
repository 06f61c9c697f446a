package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where the installation is, which profile, which database. */
public final class CommonOptions {
  @Option(
      paramLabel = "DIR", names = "--home",
      description = "Installation folder with config/, routes/, dmn/, rules/, models/, data/ (default: current folder).")
  Path home;

  @Option(paramLabel = "NAME", names = "--profile", description = "Settings profile: also reads config/application-PROFILE.properties.")
  String profile;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "Database URL (default: VALUETIER_DB_URL, else the embedded H2 in data/).")
  String db;

  /** The settings of this invocation, with the command line winning over files and environment. */
  public Settings settings() {
    return settings(Map.of());
  }

  public Settings settings(Map<String, String> more) {
    Map<String, String> overrides = new HashMap<>(more);
    if (db != null) {
      overrides.put("valuetier.db.url", db);
    }
    // every value checked before any stage runs; unknown keys warned about with a did-you-mean
    return StartupCheck.check(Settings.load(home(), profile, System.getenv(), overrides), System.err);
  }

  public Path home() {
    if (home != null) {
      return home;
    }
    String prop = System.getProperty("valuetier.home");
    return Path.of(prop != null ? prop : ".");
  }

  public Store openStore(Settings s) {
    return Stores.open(s);
  }
}
