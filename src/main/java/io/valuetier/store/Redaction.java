package io.valuetier.store;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from URIs, JDBC URLs and messages that quote them, before they are logged, stored (the delivery
 * log, ingest sources, model cards) or shown in a report: the password of a {@code user:password@} part, and the value
 * of every parameter whose name ends in password, passwd, pwd, token, secret, key, sig, signature or credential(s)
 * ({@code ?token=...}, {@code &apiKey=...}, {@code ;PASSWORD=...}, {@code access_token}, {@code X-Api-Key}).
 * The one helper every place that keeps or prints a destination or a URL goes through.
 */
public final class Redaction {
  /** What a removed secret is replaced with. */
  public static final String MASK = "***";

  private static final Pattern USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.\\-]*://)([^/@\\s:?#]+):([^/@\\s?#]*)@");
  private static final Pattern PARAMETER = Pattern.compile("([?&;])([A-Za-z0-9_.\\-]+)=([^&;\\s\"'<>]*)");
  private static final String[] SECRET_ENDINGS = {
    "password", "passwd", "pwd", "token", "secret", "key", "sig", "signature", "credential", "credentials"
  };

  private Redaction() {}

  /** {@code text} with the secrets of every URI or URL in it masked; null stays null. */
  public static String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + MASK + "@"));
    Matcher m = PARAMETER.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      String replacement = isSecret(m.group(2)) ? m.group(1) + m.group(2) + "=" + MASK : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A URI or JDBC URL without its secrets (the same rules as {@link #text}). */
  public static String uri(String uri) {
    return text(uri);
  }

  /** Whether a parameter of this name holds a secret. */
  static boolean isSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    for (String ending : SECRET_ENDINGS) {
      if (n.endsWith(ending)) {
        return true;
      }
    }
    return false;
  }
}
