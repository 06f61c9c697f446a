package io.valuetier.util;

/**
 * HTML escaping shared by every page the product writes (the report, the what-if page): a value becomes text that is
 * safe in element content and in a quoted attribute value, so that no value from data can become markup.
 */
public final class HtmlText {
  private HtmlText() {}

  /** The value as HTML text ({@code & < > " '} escaped); null becomes empty. */
  public static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
