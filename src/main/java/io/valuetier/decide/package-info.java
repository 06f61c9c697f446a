/**
 * Decisions: turns a customer's prediction and business facts into a value tier, a marketing action and a service
 * level through the analysts' DMN models ({@code dmn/}), then applies the DRL guardrails ({@code rules/}) and records
 * every decision with its trace. {@link io.valuetier.decide.DecisionService} decides one customer;
 * {@link io.valuetier.decide.BatchDecider} decides every scored customer.
 */
package io.valuetier.decide;
