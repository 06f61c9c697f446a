package io.valuetier.ingest;

import io.valuetier.records.RejectReason;
import java.nio.charset.StandardCharsets;

/**
 * One record as read from a delimited text source, before any business check: its first physical line number, how
 * many physical lines it spans (a quoted field may hold line breaks), its original bytes, and either its fields or the
 * reason it could not be split into fields.
 */
public final class RawRecord {
  private final long line;
  private final int lineSpan;
  private final byte[] bytes;
  private final String[] fields;
  private final RejectReason problem;
  private final int problemColumn;
  private final String problemMessage;

  RawRecord(long line, int lineSpan, byte[] bytes, String[] fields) {
    this(line, lineSpan, bytes, fields, null, -1, null);
  }

  RawRecord(long line, int lineSpan, byte[] bytes, String[] fields, RejectReason problem, int column, String message) {
    this.line = line;
    this.lineSpan = lineSpan;
    this.bytes = bytes;
    this.fields = fields;
    this.problem = problem;
    this.problemColumn = column;
    this.problemMessage = message;
  }

  static RawRecord problem(long line, byte[] bytes, RejectReason reason, int column, String message) {
    return new RawRecord(line, 1, bytes, null, reason, column, message);
  }

  /** Physical line number (1-based) where the record starts; the header, if any, is line 1. */
  public long line() {
    return line;
  }

  public int lineSpan() {
    return lineSpan;
  }

  /** Fields, or {@code null} when {@link #problem()} is set. */
  public String[] fields() {
    return fields;
  }

  /** Why the record could not be split into fields, or {@code null}. */
  public RejectReason problem() {
    return problem;
  }

  /** 0-based column of the problem, or -1 when it concerns the whole line. */
  public int problemColumn() {
    return problemColumn;
  }

  public String problemMessage() {
    return problemMessage;
  }

  /** The original text; bytes that are not UTF-8 appear as U+FFFD (the message of the rejection names them). */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public byte[] bytes() {
    return bytes;
  }
}
