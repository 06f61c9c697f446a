/**
 * The decision commands: {@code decide}, {@code bench-decide}, {@code validate-rules}, {@code test-rules},
 * {@code rules (reload|history|rollback|watch)} and {@code explain}.
 */
package io.valuetier.decide.cli;
