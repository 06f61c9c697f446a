package io.valuetier.clean;

import io.valuetier.ingest.RejectReason;

/**
 * A record that was not accepted, with where it was (line), what was wrong (reason, column, value, message) and its
 * original text, so that nothing read is lost.
 */
public record Rejection(
    long line, RejectReason reason, String column, String value, String message, String originalText) {}
