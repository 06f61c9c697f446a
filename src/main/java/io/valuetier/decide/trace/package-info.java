/**
 * The decision trace: every decision stored with its inputs, model and rule-set versions, matched DMN rows, fired
 * guardrails and outputs; the contact log that contact fatigue reads; and explanations of a decision in words.
 */
package io.valuetier.decide.trace;
