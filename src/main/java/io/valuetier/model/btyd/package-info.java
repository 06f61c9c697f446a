/**
 * Buy-'Til-You-Die models written in Java and fitted by maximum likelihood: BG/NBD (Fader, Hardie and Lee 2005) for
 * how often a customer buys and whether they are still alive, and Gamma-Gamma (Fader, Hardie 2013) for how much they
 * spend per purchase. Used as the baseline model and as features of the learned models.
 */
package io.valuetier.model.btyd;
