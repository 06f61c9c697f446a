package io.valuetier.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns a failure into one line in words on stderr ("error: ..."): what went wrong, where, and what to do. The
 * stack trace goes to the log file ({@link Console#LOG_FILE}), and to the console as well with {@code --verbose}.
 * Handles both a command's failure and a mistake on the command line itself (an unknown option, a value that is not
 * a date or a number).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);
  private static final Pattern INVALID_VALUE =
      Pattern.compile("Invalid value for (?:option|positional parameter at index \\d+ \\(([^)]*)\\)) ?'?([^':]*)'?: (.*)", Pattern.DOTALL);

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String line = describe(ex);
    // the trace goes to the log file (and, with --verbose, to the console through the log's verbose appender)
    LOG.error(Console.FILE_ONLY, "{} failed: {}", commandLine.getCommandName(), line, ex);
    commandLine.getErr().println("error: " + line);
    return root(ex) instanceof IllegalArgumentException ? 2 : 1;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    String cmd = cl.getCommandSpec().qualifiedName();
    String line = oneLine(parseMessage(ex));
    cl.getErr().println("error: " + line + " (see: " + cmd + " --help)");
    LOG.warn(Console.FILE_ONLY, "{}: {}", cmd, line);
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** picocli's message, reworded as "--option: value is not ..." and with the did-you-mean suggestions. */
  static String parseMessage(CommandLine.ParameterException ex) {
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String what = unmatched.isEmpty() ? "argument" : unmatched.getFirst();
      List<String> suggestions = u.getSuggestions();
      String head = what.startsWith("-") ? "unknown option " + what : "unexpected argument '" + what + "'";
      return suggestions.isEmpty() ? head : head + "; did you mean " + String.join(" or ", suggestions.stream().limit(3).toList()) + "?";
    }
    Matcher m = INVALID_VALUE.matcher(msg);
    if (m.matches()) {
      String option = m.group(1) != null ? m.group(1) : m.group(2);
      return option + ": " + m.group(3);
    }
    return msg;
  }

  /** The message in words for an exception, unwrapping wrappers (Camel's, reflection's) down to the cause that says it. */
  static String describe(Throwable ex) {
    Throwable t = ex;
    // Camel and executors wrap the real failure; our own exceptions and the file system's carry the words.
    for (Throwable c = ex; c != null; c = c.getCause()) {
      if (c.getClass().getName().startsWith("io.valuetier.") || c instanceof IOException || c instanceof IllegalArgumentException) {
        t = c;
        break;
      }
    }
    if (t instanceof UncheckedIOException u && u.getCause() != null && u.getMessage() == null) {
      t = u.getCause();
    }
    String words = switch (t) {
      case NoSuchFileException e -> "no such file: " + e.getFile() + " (check the path)";
      case AccessDeniedException e -> "cannot read or write " + e.getFile() + ": permission denied";
      case NotDirectoryException e -> e.getFile() + " is not a folder";
      case FileSystemException e when e.getReason() != null && e.getReason().contains("directory") ->
          e.getFile() + " is a directory, give a file";
      default -> t.getMessage();
    };
    if (words == null || words.isBlank()) {
      StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
      words = "internal failure " + t.getClass().getSimpleName() + (at == null ? "" : " at " + at.getClassName()
          + "." + at.getMethodName() + ":" + at.getLineNumber()) + "; the trace is in " + Console.LOG_FILE
          + " (or rerun with --verbose)";
    }
    return oneLine(words);
  }

  private static Throwable root(Throwable ex) {
    for (Throwable c = ex; c != null; c = c.getCause()) {
      if (c.getClass().getName().startsWith("io.valuetier.") || c instanceof IllegalArgumentException) {
        return c;
      }
    }
    return ex;
  }

  /** One console line: a message that spans lines is joined with "; ". */
  static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
