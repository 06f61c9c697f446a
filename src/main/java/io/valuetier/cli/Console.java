package io.valuetier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * What the log shows on the console. By default only valuetier's own messages, without stack traces: a user who
 * made an ordinary mistake reads one line in words, and the libraries' traces go to the log file
 * ({@code logs/valuetier.log} in the installation folder). With {@code --verbose} the console shows everything the
 * log file gets, traces included.
 */
public final class Console {
  /** Marks an event for the log file only (the command has already said it on the console in words). */
  public static final Marker FILE_ONLY = MarkerFactory.getMarker("FILE_ONLY");

  /** The log file, relative to the installation folder, as logback.xml writes it. */
  public static final String LOG_FILE = "logs/valuetier.log";

  private static volatile boolean verbose;

  private Console() {}

  static void verbose(boolean on) {
    verbose = on;
  }

  /** Whether {@code --verbose} was given. */
  public static boolean verbose() {
    return verbose;
  }

  /** The console without --verbose: valuetier's own messages at INFO and above, never one marked file-only. */
  public static final class Quiet extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent e) {
      if (verbose) {
        return FilterReply.DENY;
      }
      boolean ours = e.getLoggerName().startsWith("io.valuetier.");
      boolean fileOnly = e.getMarkerList() != null && e.getMarkerList().contains(FILE_ONLY);
      return ours && !fileOnly && e.getLevel().isGreaterOrEqual(Level.INFO) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
  }

  /** The console with --verbose: everything, with traces. */
  public static final class Verbose extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent e) {
      return verbose ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
  }
}
