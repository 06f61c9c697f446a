package io.valuetier.records;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * One accepted order line. {@code amount} is quantity times unit price, negative for returns. {@code rowKey} and
 * {@code rowCheck} derive from the line's content (see {@link TransactionCleaner}), so that storing the same line
 * twice is a no-op.
 */
public record Transaction(
    long rowKey,
    long rowCheck,
    String customerId,
    String orderId,
    LocalDateTime timestamp,
    String productId,
    String description,
    BigDecimal quantity,
    BigDecimal unitPrice,
    BigDecimal amount,
    String currency,
    String country,
    boolean isReturn,
    boolean isOutlier,
    long line) {}
