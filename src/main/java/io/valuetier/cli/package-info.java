/**
 * The command line ({@code ./valuetier}, picocli): one class per command, each a thin layer that reads the settings,
 * opens the store and calls the stage's service; exit codes 0 (done), 1 (the work failed or found errors), 2 (bad
 * usage), with errors in words on standard error.
 */
package io.valuetier.cli;
