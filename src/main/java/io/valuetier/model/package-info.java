/**
 * The ML plug-in: value models behind one interface ({@link io.valuetier.model.ValueModel}), how they are trained on
 * stacked snapshots of the past ({@link io.valuetier.model.Trainer}), evaluated with the metrics of the field
 * ({@link io.valuetier.model.eval}), kept in a versioned registry ({@link io.valuetier.model.registry}) and used to
 * score customers ({@link io.valuetier.model.ScoringService}).
 */
package io.valuetier.model;
