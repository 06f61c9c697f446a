package io.valuetier.cli;

import io.valuetier.api.ApiKeys;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code valuetier api-key}: a new random API key (256 bits from {@link SecureRandom}, URL-safe Base64) and the
 * {@code sha256:} line that goes into the settings, so that the settings never hold the key itself.
 */
@Command(
    name = "api-key",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a new random API key for `valuetier serve` and the setting line that holds only its SHA-256.",
      "Give the key to the client (header Authorization: Bearer KEY); put the sha256: line in",
      "config/application.properties or the environment. Several keys per role: separate them with commas."
    })
public final class ApiKeyCommand implements Callable<Integer> {
  @Option(
      names = "--role",
      defaultValue = "decide",
      description = "Role of the key: decide, facts, analyst, admin or metrics (default: ${DEFAULT-VALUE}).")
  String role;

  @Override
  public Integer call() {
    ApiKeys.Role r;
    try {
      r = ApiKeys.Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("unknown role '" + role + "': use decide, facts, analyst, admin or metrics");
      return 2;
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String hash = HexFormat.of().formatHex(ApiKeys.sha256(key));
    System.out.println("key (give it to the client, shown once): " + key);
    System.out.println(ApiKeys.PREFIX + r.label() + "=sha256:" + hash);
    System.out.println("environment: " + io.valuetier.config.Settings.envName(ApiKeys.PREFIX + r.label())
        + "=sha256:" + hash);
    return 0;
  }
}
