package io.valuetier.records;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * What happened after a decision: whether the customer responded to the action (opened, clicked, used the offer) and
 * whether they bought, and their revenue in the observation window after the action. Control-group customers get
 * outcomes too: that is what the uplift is measured against.
 *
 * @param line the line of the source it came from
 */
public record Outcome(
    long decisionId,
    String customerId,
    boolean responded,
    boolean purchased,
    BigDecimal revenue,
    Integer windowDays,
    LocalDateTime observedAt,
    long line) {}
