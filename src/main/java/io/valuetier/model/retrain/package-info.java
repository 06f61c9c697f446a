/**
 * Retraining: a challenger trained on the latest data when the data changed or monitoring warns, compared
 * with the champion on the latest holdout, promoted only when better; every step in the registry log.
 */
package io.valuetier.model.retrain;
