package io.valuetier.cli;

import io.valuetier.api.ApiKeys;
import io.valuetier.config.Settings;
import io.valuetier.util.Json;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code valuetier api-key}: a new random API key (256 bits from {@link SecureRandom}, URL-safe Base64) and the
 * {@code sha256:} line that goes into the settings, so that the settings never hold the key itself.
 */
@Command(
    name = "api-key",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a new random API key for `valuetier serve` and the setting line with its SHA-256.",
      "Give the key to the client (header Authorization: Bearer KEY); put the sha256: line in",
      "config/application.properties or the environment. Several keys per role: separate them with commas."
    })
public final class ApiKeyCommand implements Callable<Integer> {
  @Option(
      names = "--role",
      paramLabel = "ROLE",
      defaultValue = "decide",
      description = "Role of the key: decide, facts, analyst, admin, deploy or metrics (default: ${DEFAULT-VALUE}).")
  String role;

  @Option(names = "--json", description = "Print one JSON object (role, key, setting, environment) instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ApiKeys.Role r;
    try {
      r = ApiKeys.Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "--role: unknown role '" + role + "': use decide, facts, analyst, admin, deploy or metrics");
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String hash = HexFormat.of().formatHex(ApiKeys.sha256(key));
    String setting = ApiKeys.PREFIX + r.label() + "=sha256:" + hash;
    String environment = Settings.envName(ApiKeys.PREFIX + r.label()) + "=sha256:" + hash;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", r.label());
      m.put("key", key);
      m.put("setting", setting);
      m.put("environment", environment);
      System.out.println(Json.write(m));
      return 0;
    }
    System.out.println("key (give it to the client, shown once): " + key);
    System.out.println(setting);
    System.out.println("environment: " + environment);
    return 0;
  }
}
