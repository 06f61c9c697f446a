/**
 * The customer tiering DMN model compiled on the KIE DMN engine and evaluated through Kogito's
 * {@code DmnDecisionModel} with runtime type checking, plus the table metadata (rows, columns, annotations) that
 * validation messages, coverage and explanations refer to.
 */
package io.valuetier.decide.dmn;
