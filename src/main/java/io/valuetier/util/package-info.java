/** Small shared helpers: JSON, text. */
package io.valuetier.util;
