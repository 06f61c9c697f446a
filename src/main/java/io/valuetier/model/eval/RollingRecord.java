package io.valuetier.model.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole rolling backtest that {@code evaluate --rolling --record} ran, kept beside its {@link RollingChoice} in
 * the model registry folder ({@value #FILE}) so that the HTML report can show it: {@link RollingReport#asMap} (every
 * cutoff and the summary) with when it ran, the data's last day, the transaction files, the champion it chose and the
 * command that records it again. Like the choice it is one file for the registry, not one per store: a backtest runs
 * on transaction files, not on a store.
 */
public final class RollingRecord {
  /** The file in the model registry folder. */
  public static final String FILE = "rolling-backtest.json";

  private RollingRecord() {}

  /**
   * The JSON kept: the backtest's {@link RollingReport#asMap} and {@code recorded_at}, {@code data_end},
   * {@code transactions} (the files as given), {@code chosen} (the champion it chose) and {@code refresh} (the command
   * that records it again).
   */
  public static Map<String, Object> asMap(RollingBacktest.Report report, RollingChoice choice, LocalDate dataEnd,
      List<String> transactions, String refresh) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recorded_at", choice.recordedAt().toString());
    m.put("data_end", dataEnd.toString());
    m.put("transactions", List.copyOf(transactions));
    m.put("chosen", choice.algorithm());
    m.put("refresh", refresh);
    m.putAll(RollingReport.asMap(report));
    return m;
  }

  /** Writes {@code record} (see {@link #asMap}) to {@code registryDir}/{@value #FILE}, replacing an earlier one. */
  public static Path write(Path registryDir, Map<String, Object> record) {
    return writeAtomically(registryDir, FILE, record, "the rolling backtest");
  }

  /** The backtest kept in {@code registryDir}, if any; a file that is not JSON is an error that names it. */
  public static Optional<JsonNode> read(Path registryDir) {
    Path file = registryDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readString(file));
      if (n == null || !n.isObject() || !n.path("cutoffs").isArray()) {
        throw new IllegalArgumentException("not a recorded rolling backtest (no cutoffs)");
      }
      return Optional.of(n);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the rolling backtest " + file + " (written by evaluate --rolling"
          + " --record; record it again): " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} as JSON to a temporary file and moves it over {@code dir/name} in one step. */
  static Path writeAtomically(Path dir, String name, Object value, String what) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, Json.write(value));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " to " + file + ": " + e.getMessage(), e);
    }
  }
}
