package io.valuetier.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** Phrases a model input and its push on the prediction for a marketer, from {@code reasons.properties}. */
public final class ReasonText {
  private static final Properties TEXTS = load();
  private static final Map<String, String[]> PARTS = new ConcurrentHashMap<>();

  private ReasonText() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = ReasonText.class.getResourceAsStream("reasons.properties")) {
      if (in == null) {
        throw new IllegalStateException("reasons.properties is missing from the class path");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read reasons.properties: " + e.getMessage(), e);
    }
    return p;
  }

  /** The sentence for {@code feature} with value {@code value} whose SHAP value is {@code push}. */
  public static String phrase(String feature, double value, double push, int horizonDays) {
    String[] parts = PARTS.computeIfAbsent(feature, f -> {
      String spec = TEXTS.getProperty(f);
      return spec == null ? new String[0] : spec.split("\\|");
    });
    String text;
    if (parts.length == 0) {
      text = feature + " = " + String.format(Locale.ROOT, "%.2f", value);
    } else {
      String kind = parts[0];
      if (kind.equals("flag")) {
        text = value > 0.5 ? parts[1] : value < -0.5 ? parts[3] : parts[2];
      } else {
        text = parts[1].replace("{0}", format(kind, value)).replace("{1}", String.valueOf(horizonDays));
      }
    }
    String direction = TEXTS.getProperty(push >= 0 ? "direction.up" : "direction.down");
    String s = text + " (" + direction + ")";
    return s.length() <= 255 ? s : s.substring(0, 252) + "...";
  }

  private static String format(String kind, double v) {
    return switch (kind) {
      case "days", "count" -> String.format(Locale.ROOT, "%,d", Math.round(v));
      case "money" -> String.format(Locale.ROOT, "%,.2f", v);
      case "signed-money" -> String.format(Locale.ROOT, "%+,.2f", v);
      case "percent" -> String.format(Locale.ROOT, "%.0f%%", 100 * v);
      case "signed" -> String.format(Locale.ROOT, "%+.1f", v);
      default -> String.format(Locale.ROOT, "%.1f", v);
    };
  }
}
