package io.valuetier.decide.guardrails;

/**
 * A guardrail that changed an action: the reason code, the rule that fired and the reason in words.
 */
public record Intervention(String code, String rule, String reason) {}
