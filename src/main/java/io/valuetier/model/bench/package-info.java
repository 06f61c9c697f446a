/** The model benchmark: a seeded synthetic shop and the timing of features, training and scoring on it. */
package io.valuetier.model.bench;
