package io.valuetier.cli;

import picocli.CommandLine;

/**
 * Prints a failure as one line in words ("error: ...") instead of a stack trace; set VALUETIER_DEBUG=1 to see the
 * trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    commandLine.getErr().println("error: " + msg);
    if (System.getenv("VALUETIER_DEBUG") != null) {
      ex.printStackTrace(commandLine.getErr());
    }
    return ex instanceof IllegalArgumentException ? 2 : 1;
  }
}
