/**
 * The model registry in {@code models/}: one versioned folder per trained model with the serialized model, its model
 * card and a golden set of predictions; loading goes through an allow-list {@link java.io.ObjectInputFilter} and checks
 * the golden set; {@code champion.json} records the chosen model.
 */
package io.valuetier.model.registry;
