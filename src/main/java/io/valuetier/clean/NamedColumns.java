package io.valuetier.clean;

import io.valuetier.records.IngestException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The columns of a CSV whose header names them (any order, a known set, some required), as the customer facts and the
 * outcomes files have: where each known column is, and its values as text or yes/no. A header with an unknown column
 * or without a required one is refused with the file, line 1 and what to fix.
 */
public final class NamedColumns {
  /** A yes/no column whose value is neither. */
  public static final class BadFlag extends Exception {
    private final String column;
    private final String value;

    BadFlag(String column, String value) {
      super(column, null, false, false);
      this.column = column;
      this.value = value;
    }

    public String column() {
      return column;
    }

    public String value() {
      return value;
    }
  }

  private final List<String> known;
  private final int[] pos;
  private final int width;

  /**
   * @param what the kind of file, for messages ("customer facts", "outcomes")
   * @param known the columns such a file may have
   * @param required the columns it must have
   */
  public NamedColumns(String source, String what, List<String> known, String[] header, List<String> required) {
    this.known = known;
    this.width = header.length;
    this.pos = new int[known.size()];
    Arrays.fill(pos, -1);
    for (int i = 0; i < header.length; i++) {
      int k = known.indexOf(header[i].strip().toLowerCase(Locale.ROOT));
      if (k < 0) {
        throw new IngestException(source + " line 1: unknown column '" + header[i] + "' in the " + what
            + " header; known columns: " + known);
      }
      pos[k] = i;
    }
    List<String> missing = required.stream().filter(c -> pos[known.indexOf(c)] < 0).toList();
    if (!missing.isEmpty()) {
      throw new IngestException(source + " line 1: the " + what + " header has no " + String.join(" or ", missing)
          + " column (found " + Arrays.toString(header) + ")");
    }
  }

  /** How many columns the header has, which every line must have too. */
  public int width() {
    return width;
  }

  /** Whether the header has column {@code k} (an index into the known columns). */
  public boolean has(int k) {
    return pos[k] >= 0;
  }

  /** The raw field of column {@code k}, or null when the header lacks it. */
  public String raw(String[] f, int k) {
    return pos[k] < 0 ? null : f[pos[k]];
  }

  /** The stripped text of column {@code k}; null when the header lacks it or the field is empty. */
  public String text(String[] f, int k) {
    String s = raw(f, k);
    if (s == null) {
      return null;
    }
    s = s.strip();
    return s.isEmpty() ? null : s;
  }

  /** Column {@code k} as yes/no ({@code true false yes no y n 1 0 t f}); null when empty or absent. */
  public Boolean flag(String[] f, int k) throws BadFlag {
    String s = text(f, k);
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "t" -> Boolean.TRUE;
      case "false", "no", "n", "0", "f" -> Boolean.FALSE;
      default -> throw new BadFlag(known.get(k), s);
    };
  }
}
