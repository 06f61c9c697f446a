/**
 * Simulators and benchmark harnesses: seeded synthetic shops and populations, simulated outcomes of decisions, and the
 * timing of features, training and scoring. Only the command line and the tests use them.
 */
package io.valuetier.bench;
