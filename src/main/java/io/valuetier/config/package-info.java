/** Configuration: one commented {@code config/application.properties}, profiles, environment overrides. */
package io.valuetier.config;
