/** Cleaning: the checks every transaction passes, with a reason code for each rejection. */
package io.valuetier.clean;
