package io.valuetier.decide.trace;

import java.math.BigDecimal;

/** Builds small JSON objects by hand: the trace writes one per decision, where a general mapper costs too much. */
final class JsonText {
  private final StringBuilder sb;
  private boolean first = true;

  JsonText(int capacity) {
    sb = new StringBuilder(capacity).append('{');
  }

  JsonText field(String name, Object value) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    string(sb, name);
    sb.append(':');
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value instanceof BigDecimal b ? b.toPlainString() : value.toString());
    } else {
      string(sb, value.toString());
    }
    return this;
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  String end() {
    return sb.append('}').toString();
  }
}
