/**
 * Feedback: outcomes of the actions, uplift against control groups, monitoring of drift and calibration, and
 * retraining that promotes a challenger only when it is better.
 */
package io.valuetier.feedback;
