/**
 * What-if simulation: a candidate DMN or DRL is decided beside the active rule set on the last scored population,
 * without writing anything, and the differences are reported as a tier migration matrix, action count changes, value
 * at stake and a sample of changed customers with their reasons.
 */
package io.valuetier.whatif;
