package io.valuetier.report;

import io.valuetier.util.HtmlText;
import io.valuetier.util.Json;

/**
 * The report's one way to put a value into the page. Every value that comes from data or settings (customer ids,
 * reasons, rule names, file paths) passes through {@link #text} in element content and attribute values, and the
 * chart data through {@link #scriptJson}, so that no value can become markup or script.
 */
public final class Html {
  private Html() {}

  /** The value as HTML text, safe in element content and in a quoted attribute value; null becomes empty. */
  public static String text(Object value) {
    return HtmlText.escape(value);
  }

  /**
   * The value as JSON to place inside a {@code <script type="application/json">} element: {@code <}, {@code >} and
   * {@code &} only occur inside JSON strings, where their {@code \\u} escapes mean the same, so no {@code </script>}
   * or {@code <!--} in the data can end or change the element. U+2028/2029 are escaped for older script parsers.
   */
  public static String scriptJson(Object value) {
    return Json.write(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }
}
