package io.valuetier.ingest;

import io.valuetier.records.RejectReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A streaming reader of delimited text that never gives up on a file because of one bad line.
 *
 * <p>It works on bytes, so that a byte that is not UTF-8 spoils only the field it is in: the record is reported with
 * {@link RejectReason#BAD_ENCODING} and the reader goes on. In comma mode it follows RFC 4180: fields may be quoted,
 * quotes inside are doubled, and a quoted field may span lines. A record that spans lines is accepted only when it
 * then parses cleanly into {@code expectedColumns} fields; otherwise only its first line is reported as
 * {@link RejectReason#BAD_QUOTING} and reading resumes on the next line, so that an unclosed quote cannot swallow the
 * rest of the file. In whitespace mode (the CDNOW layout) fields are separated by runs of spaces or tabs and there is
 * no quoting. A UTF-8 byte-order mark at the start is skipped; lines may end in LF or CRLF.
 *
 * <p>Memory is bounded whatever the input: a physical line longer than {@code maxRecordBytes} is not buffered past
 * that length; it is reported as {@link RejectReason#RECORD_TOO_LONG} with its first {@link #KEPT_BYTES} bytes, and
 * reading resumes after its line end. A record spanning lines stops joining at that length too.
 *
 * <p>One job: the byte-level state machine of one record (quotes, separators, line ends, encoding, bounds), which
 * has to be read as a whole to see that no byte is lost or read twice; it is the only parser of delimited text here
 * (the analysts' test tables are read with it too).
 */
public final class DelimitedReader implements AutoCloseable {

  /** How fields are separated. */
  public enum Mode {
    COMMA,
    WHITESPACE
  }

  /** The default longest record: far beyond any real order line, small enough that a slice of them fits in memory. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  /** Bytes of an over-long line kept as its original text. */
  static final int KEPT_BYTES = 2048;

  private final int maxRecordBytes;

  private final InputStream in;
  private final Mode mode;
  private final int expectedColumns;
  private final int maxRecordLines;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private long physicalLines;
  private boolean atStart = true;
  private final Deque<Line> pushback = new ArrayDeque<>();
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] lineBuf = new byte[256];
  private byte[] fieldBuf = new byte[256];
  private final List<String> fields = new ArrayList<>(16);

  /** A physical line; {@code length} is its full length in bytes, more than {@code bytes} holds when it was cut. */
  private record Line(long number, byte[] bytes, long length) {
    boolean tooLong() {
      return length > bytes.length;
    }
  }

  /**
   * A reader with records of at most {@link #DEFAULT_MAX_RECORD_BYTES}.
   *
   * @param expectedColumns the column count a multi-line record must reach to be accepted, or -1 for any
   * @param maxRecordLines how many physical lines one quoted record may span at most
   */
  public DelimitedReader(InputStream in, Mode mode, int expectedColumns, int maxRecordLines) {
    this(in, mode, expectedColumns, maxRecordLines, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * @param expectedColumns the column count a multi-line record must reach to be accepted, or -1 for any
   * @param maxRecordLines how many physical lines one quoted record may span at most
   * @param maxRecordBytes the longest line, and the length at which a record spanning lines stops joining
   */
  public DelimitedReader(InputStream in, Mode mode, int expectedColumns, int maxRecordLines, int maxRecordBytes) {
    this.in = in;
    this.mode = mode;
    this.expectedColumns = expectedColumns;
    this.maxRecordLines = Math.max(1, maxRecordLines);
    this.maxRecordBytes = Math.max(KEPT_BYTES, maxRecordBytes);
  }

  /** The next record, or {@code null} at the end of the input. */
  public RawRecord next() {
    Line first = nextLine();
    if (first == null) {
      return null;
    }
    if (first.tooLong()) {
      return tooLong(first);
    }
    if (isBlank(first.bytes)) {
      return RawRecord.problem(first.number, first.bytes, RejectReason.EMPTY_LINE, -1, "empty line");
    }
    if (mode == Mode.WHITESPACE) {
      return splitWhitespace(first);
    }
    Parse p = parseComma(first.bytes);
    if (p.state == ParseState.OK) {
      return decode(first.number, 1, first.bytes);
    }
    if (p.state == ParseState.BAD_QUOTE) {
      return RawRecord.problem(first.number, first.bytes, RejectReason.BAD_QUOTING, p.column, p.message);
    }
    // A quoted field is still open at the end of the line: try to complete the record on the following lines.
    List<Line> extra = new ArrayList<>();
    byte[] acc = first.bytes;
    while (p.state == ParseState.OPEN_QUOTE && extra.size() + 1 < maxRecordLines
        && acc.length < maxRecordBytes) {
      Line l = nextLine();
      if (l == null) {
        break;
      }
      extra.add(l);
      if (l.tooLong() || (long) acc.length + 1 + l.bytes.length > maxRecordBytes) {
        break; // the record cannot be completed within the bound; the line is read again on its own
      }
      byte[] joined = Arrays.copyOf(acc, acc.length + 1 + l.bytes.length);
      joined[acc.length] = '\n';
      System.arraycopy(l.bytes, 0, joined, acc.length + 1, l.bytes.length);
      acc = joined;
      p = parseComma(acc);
    }
    if (p.state == ParseState.OK && (expectedColumns < 0 || p.columns == expectedColumns)) {
      return decode(first.number, 1 + extra.size(), acc);
    }
    for (int i = extra.size() - 1; i >= 0; i--) {
      pushback.addFirst(extra.get(i));
    }
    int col = p.state == ParseState.OPEN_QUOTE ? p.column : -1;
    String msg =
        p.state == ParseState.OPEN_QUOTE
            ? "quoted field in column " + (p.column + 1) + " is never closed"
            : "quoted field in column " + (firstOpenColumn(first.bytes) + 1)
                + " is not closed on this line, and joining the next lines does not give a valid record";
    return RawRecord.problem(first.number, first.bytes, RejectReason.BAD_QUOTING, col, msg);
  }

  private RawRecord tooLong(Line l) {
    byte[] note =
        ("… [truncated, " + l.length + " bytes]").getBytes(StandardCharsets.UTF_8);
    byte[] kept = Arrays.copyOf(l.bytes, Math.min(KEPT_BYTES, l.bytes.length) + note.length);
    System.arraycopy(note, 0, kept, kept.length - note.length, note.length);
    return RawRecord.problem(
        l.number, kept, RejectReason.RECORD_TOO_LONG, -1,
        "line is " + l.length + " bytes long; a record has at most " + maxRecordBytes
            + " bytes (valuetier.ingest.max-record-bytes)");
  }

  /** Physical lines consumed so far, including lines held back for re-reading. */
  public long physicalLines() {
    return physicalLines;
  }

  private int firstOpenColumn(byte[] b) {
    Parse p = parseComma(b);
    return Math.max(0, p.column);
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\t') {
        return false;
      }
    }
    return true;
  }

  // ---- physical lines ----

  private Line nextLine() {
    if (!pushback.isEmpty()) {
      return pushback.pollFirst();
    }
    int len = 0;
    long total = 0; // the line's length, also past the bound
    boolean any = false;
    while (true) {
      if (pos >= limit) {
        if (!fill()) {
          break;
        }
      }
      any = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? limit : nl;
      int n = end - start;
      total += n;
      int keep = Math.min(n, maxRecordBytes + 1 - len); // one byte past the bound marks the line as cut
      if (keep > 0) {
        if (len + keep > lineBuf.length) {
          lineBuf = Arrays.copyOf(lineBuf, Math.max(Math.min(lineBuf.length * 2, maxRecordBytes + 1), len + keep));
        }
        System.arraycopy(buf, start, lineBuf, len, keep);
        len += keep;
      }
      if (nl >= 0) {
        pos = nl + 1;
        return finishLine(len, total);
      }
      pos = limit;
    }
    if (!any || (len == 0 && eof)) {
      return null;
    }
    return finishLine(len, total);
  }

  private Line finishLine(int len, long total) {
    int start = 0;
    if (atStart) {
      atStart = false;
      if (len >= 3 && (lineBuf[0] & 0xff) == 0xEF && (lineBuf[1] & 0xff) == 0xBB && (lineBuf[2] & 0xff) == 0xBF) {
        start = 3;
        total -= 3;
      }
    }
    physicalLines++;
    if (total > maxRecordBytes) {
      return new Line(physicalLines, Arrays.copyOfRange(lineBuf, start, Math.min(len, start + KEPT_BYTES)), total);
    }
    if (len > start && lineBuf[len - 1] == '\r') {
      len--;
      total--;
    }
    return new Line(physicalLines, Arrays.copyOfRange(lineBuf, start, Math.max(start, len)), total);
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        eof = true;
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("read failed after line " + physicalLines + ": " + e.getMessage(), e);
    }
  }

  // ---- comma mode ----

  private enum ParseState {
    OK,
    OPEN_QUOTE,
    BAD_QUOTE
  }

  private record Parse(ParseState state, int columns, int column, String message) {}

  /** Checks the structure of a record without building strings. */
  private static Parse parseComma(byte[] b) {
    int col = 0;
    int i = 0;
    int n = b.length;
    while (true) {
      if (i < n && b[i] == '"') {
        int j = i + 1;
        boolean closed = false;
        while (j < n) {
          if (b[j] == '"') {
            if (j + 1 < n && b[j + 1] == '"') {
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          j++;
        }
        if (!closed) {
          return new Parse(ParseState.OPEN_QUOTE, col + 1, col, null);
        }
        i = j + 1;
        if (i < n && b[i] != ',') {
          return new Parse(
              ParseState.BAD_QUOTE,
              col + 1,
              col,
              "text follows the closing quote of column " + (col + 1) + " at character " + (i + 1));
        }
      } else {
        while (i < n && b[i] != ',') {
          if (b[i] == '"') {
            return new Parse(
                ParseState.BAD_QUOTE,
                col + 1,
                col,
                "a quote inside unquoted column " + (col + 1) + " at character " + (i + 1)
                    + " (quote the field and double the quote)");
          }
          i++;
        }
      }
      col++;
      if (i >= n) {
        return new Parse(ParseState.OK, col, -1, null);
      }
      i++; // the comma
    }
  }

  /** Builds the fields of a structurally valid record, decoding UTF-8 strictly. */
  private RawRecord decode(long line, int span, byte[] b) {
    fields.clear();
    int n = b.length;
    int i = 0;
    while (true) {
      int flen = 0;
      boolean high = false;
      if (i < n && b[i] == '"') {
        int j = i + 1;
        while (j < n) {
          byte c = b[j];
          if (c == '"') {
            if (j + 1 < n && b[j + 1] == '"') {
              flen = put(flen, (byte) '"');
              j += 2;
              continue;
            }
            break;
          }
          high |= c < 0;
          flen = put(flen, c);
          j++;
        }
        i = j + 1;
      } else {
        int start = i;
        while (i < n && b[i] != ',') {
          high |= b[i] < 0;
          i++;
        }
        flen = i - start;
        if (flen > fieldBuf.length) {
          fieldBuf = Arrays.copyOf(fieldBuf, Math.max(flen, fieldBuf.length * 2));
        }
        System.arraycopy(b, start, fieldBuf, 0, flen);
      }
      String s = toString(fieldBuf, flen, high);
      if (s == null) {
        return badEncoding(line, span, b, fields.size(), fieldBuf, flen);
      }
      fields.add(s);
      if (i >= n) {
        break;
      }
      i++; // comma
      if (i == n) {
        fields.add("");
        break;
      }
    }
    return new RawRecord(line, span, b, fields.toArray(new String[0]));
  }

  private int put(int flen, byte c) {
    if (flen == fieldBuf.length) {
      fieldBuf = Arrays.copyOf(fieldBuf, fieldBuf.length * 2);
    }
    fieldBuf[flen] = c;
    return flen + 1;
  }

  private String toString(byte[] bytes, int len, boolean high) {
    if (!high) {
      return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(bytes, 0, len));
      return cb.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A record with a byte that is not UTF-8; it keeps its span, so that the lines it took are not read again. */
  private RawRecord badEncoding(long line, int span, byte[] record, int column, byte[] field, int len) {
    int bad = firstInvalidUtf8(field, len);
    String hex = bad >= 0 ? String.format("0x%02X", field[bad] & 0xff) : "?";
    return new RawRecord(
        line,
        span,
        record,
        null,
        RejectReason.BAD_ENCODING,
        column,
        "column " + (column + 1) + " holds byte " + hex + " at position " + (bad + 1)
            + ", which is not valid UTF-8 (save the file as UTF-8)");
  }

  private int firstInvalidUtf8(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        continue;
      }
      int need;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
      } else {
        return i;
      }
      for (int k = 1; k <= need; k++) {
        if (i + k >= len || (b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += need;
    }
    return -1;
  }

  // ---- whitespace mode ----

  private RawRecord splitWhitespace(Line line) {
    fields.clear();
    byte[] b = line.bytes;
    int n = b.length;
    int i = 0;
    while (i < n) {
      while (i < n && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      boolean high = false;
      while (i < n && b[i] != ' ' && b[i] != '\t') {
        high |= b[i] < 0;
        i++;
      }
      int flen = i - start;
      if (flen > fieldBuf.length) {
        fieldBuf = Arrays.copyOf(fieldBuf, Math.max(flen, fieldBuf.length * 2));
      }
      System.arraycopy(b, start, fieldBuf, 0, flen);
      String s = toString(fieldBuf, flen, high);
      if (s == null) {
        return badEncoding(line.number, 1, b, fields.size(), fieldBuf, flen);
      }
      fields.add(s);
    }
    return new RawRecord(line.number, 1, b, fields.toArray(new String[0]));
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
