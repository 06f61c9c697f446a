package io.valuetier.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Every log event of every logger while it is open, with the application's loggers at {@code level} and the
 * libraries' (Camel, Flyway, Hikari, the rest) at {@code libraries}: what an operator's log file would hold, messages
 * and stack traces included. (A library's DEBUG output, such as the HTTP client's wire log, prints whole requests,
 * URIs and bodies alike: it is not for production, see docs/personal-data.md.)
 */
public final class CapturedLog implements AutoCloseable {
  private static final List<String> LIBRARIES =
      List.of(Logger.ROOT_LOGGER_NAME, "org.apache.camel", "org.flywaydb", "com.zaxxer.hikari");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<String, Level> before = new java.util.HashMap<>();

  public CapturedLog(Level level, Level libraries) {
    appender.start();
    set("io.valuetier", level);
    for (String name : LIBRARIES) {
      set(name, libraries);
    }
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
  }

  private void set(String name, Level level) {
    Logger l = (Logger) LoggerFactory.getLogger(name);
    before.put(name, l.getLevel());
    l.setLevel(level);
  }

  /** Every event as its formatted message followed by its stack trace. */
  public String text() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      StringBuilder sb = new StringBuilder(e.getLoggerName()).append(": ").append(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append("\n  caused by ").append(t.getClassName()).append(": ").append(t.getMessage());
      }
      out.add(sb.toString());
    }
    return out.stream().collect(Collectors.joining("\n"));
  }

  public int events() {
    return appender.list.size();
  }

  @Override
  public void close() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    before.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }
}
