package io.valuetier.api;

import io.valuetier.config.Settings;
import io.valuetier.routes.HttpSettings;

/**
 * The settings of {@code valuetier serve} ({@code valuetier.http.*} and {@code valuetier.api.*} but the keys, which
 * {@link ApiKeys} reads and hashes), checked when read: a bad value stops the run with the key, the value and where
 * it came from.
 *
 * @param http the embedded HTTP server's address and body limit
 * @param rateLimitPerSecond requests per second that one key may send
 * @param watchRules whether dmn/ and rules/ are watched and valid changes hot-reloaded while serving
 * @param groupCommitMaxBatch at most this many concurrent online decisions are written in one transaction
 */
public record ApiSettings(HttpSettings http, int rateLimitPerSecond, boolean watchRules, int groupCommitMaxBatch) {

  /** Reads and checks the settings. */
  public static ApiSettings from(Settings s) {
    return new ApiSettings(
        HttpSettings.from(s),
        s.intValue("valuetier.api.rate-limit.per-second", 1, 1_000_000),
        s.bool("valuetier.api.watch-rules"),
        s.intValue("valuetier.api.group-commit.max-batch", 1, 10_000));
  }
}
