package io.valuetier.act;

import io.valuetier.config.Settings;
import io.valuetier.store.Redaction;
import java.nio.file.Path;

/**
 * The {@code valuetier.publish.*} settings, checked when read: a bad value stops the run with the key, the value and
 * where it came from.
 *
 * @param to the destination endpoint (may hold credentials: record it through {@code Redaction.uri})
 * @param folder where the action files go ({@code direct:write-action-files}), resolved against the installation
 * @param batchSize actions per batch (one file append, one HTTP POST or one broker message)
 */
public record PublishSettings(String to, Path folder, int batchSize) {

  /** The destination that writes action files into {@link #folder}. */
  public static final String ACTION_FILES = "direct:write-action-files";

  /** Reads and checks the settings. */
  public static PublishSettings from(Settings s) {
    return new PublishSettings(
        s.require("valuetier.publish.to"),
        s.path("valuetier.publish.folder"),
        s.intValue("valuetier.publish.batch-size", 1, 100_000));
  }

  @Override
  public String toString() {
    return "PublishSettings[to=" + Redaction.uri(to) + ", folder=" + folder + ", batchSize="
        + batchSize + "]";
  }
}
