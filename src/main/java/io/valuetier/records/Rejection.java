package io.valuetier.records;

import io.valuetier.util.Excerpt;

/**
 * A record that was not accepted, with where it was (line), what was wrong (reason, column, value, message) and its
 * original text, so that nothing read is lost. The stored parts are bounded whatever the input: the value keeps at
 * most {@link Excerpt#STORED_VALUE_CHARS} characters, the message {@link Excerpt#MESSAGE_CHARS}, the original text
 * {@link Excerpt#RECORD_CHARS}, each cut marked with {@code … [truncated, N chars]}.
 */
public record Rejection(
    long line, RejectReason reason, String column, String value, String message, String originalText) {

  public Rejection {
    column = Excerpt.truncated(column, 32); // the column holds 64, with the note
    value = Excerpt.truncated(value, Excerpt.STORED_VALUE_CHARS);
    message = Excerpt.truncated(message, Excerpt.MESSAGE_CHARS);
    originalText = Excerpt.truncated(originalText, Excerpt.RECORD_CHARS);
  }
}
