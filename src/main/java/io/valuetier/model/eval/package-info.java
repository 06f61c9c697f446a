/** Evaluation: the metrics of the customer-value field and the calibration/holdout backtest. */
package io.valuetier.model.eval;
