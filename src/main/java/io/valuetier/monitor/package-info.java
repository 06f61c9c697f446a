/**
 * Monitoring of the champion and of the decisions: feature drift (population stability of every model
 * input against the champion's training population), calibration of past predictions once their horizon has passed,
 * and shifts of the tier mix and rule hit rates between the last two decision runs.
 */
package io.valuetier.monitor;
