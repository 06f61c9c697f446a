/**
 * DRL guardrails applied after the DMN decisions: consent, contact fatigue, holds for complaints and fraud, and the
 * per-run budget cap on costly offers. The rules live in {@code rules/*.drl}; this package holds the fact they act on
 * and the staging around them (which rules run when, and the budget ledger).
 */
package io.valuetier.decide.guardrails;
