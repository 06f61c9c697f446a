package io.valuetier.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress of a long stage on stderr: a bar redrawn in place when stderr is a terminal (not with {@code --json}),
 * otherwise (CI logs, pipes, {@code --json}) one line after {@value #FIRST_LINE_SECONDS} s and then every
 * {@value #LINE_EVERY_SECONDS} s, so a stage of a few seconds prints nothing. Both give what the stage has done and its
 * rate when it counts (rows, customers, decisions, actions), else the time it has run.
 */
public final class Progress implements AutoCloseable {
  static final int FIRST_LINE_SECONDS = 10;
  static final int LINE_EVERY_SECONDS = 30;

  private final Thread thread;
  private final PrintStream out;
  private final boolean bar;
  private volatile boolean done;

  private Progress(String label, DoubleSupplier fraction, Supplier<String> detail, LongSupplier count, String unit,
      PrintStream out, boolean bar, boolean lines) {
    this.out = out;
    this.bar = bar;
    if (!bar && !lines) {
      thread = null;
      return;
    }
    long t0 = System.nanoTime();
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("progress")
            .start(
                () -> {
                  long nextLine = FIRST_LINE_SECONDS;
                  while (!done) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    String counted = counted(count, unit, seconds);
                    String d = counted != null ? counted : detail == null ? "" : detail.get();
                    if (bar) {
                      render(label, fraction.getAsDouble(), d);
                    } else if (seconds >= nextLine) {
                      out.println(line(label, seconds, fraction.getAsDouble(), d));
                      out.flush();
                      nextLine += nextLine == FIRST_LINE_SECONDS ? LINE_EVERY_SECONDS - FIRST_LINE_SECONDS
                          : LINE_EVERY_SECONDS;
                    }
                    try {
                      Thread.sleep(bar ? 200 : 500);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /**
   * Starts a progress display: the bar when stderr is a terminal and {@code quiet} is false, else periodic lines
   * once the stage runs long.
   */
  public static Progress start(String label, DoubleSupplier fraction, Supplier<String> detail, boolean quiet) {
    return start(label, fraction, detail, null, null, quiet);
  }

  /** As {@link #start(String, DoubleSupplier, Supplier, boolean)}, for a stage that counts {@code unit}s done. */
  public static Progress start(String label, DoubleSupplier fraction, Supplier<String> detail, LongSupplier count,
      String unit, boolean quiet) {
    boolean terminal = System.console() != null;
    return new Progress(label, fraction, detail, count, unit, System.err, terminal && !quiet, !terminal || quiet);
  }

  /** "12,345 customers, 3,086 customers/s", or null when the stage does not count. */
  static String counted(LongSupplier count, String unit, double seconds) {
    if (count == null) {
      return null;
    }
    long n = count.getAsLong();
    if (n < 0) {
      return null;
    }
    return seconds > 0
        ? String.format(Locale.ROOT, "%,d %s, %,.0f %s/s", n, unit, n / seconds, unit)
        : String.format(Locale.ROOT, "%,d %s", n, unit);
  }

  /** One progress line: {@code valuetier: predict running 40 s, 45%, 12,345 customers, 3,086 customers/s}. */
  static String line(String label, double seconds, double fraction, String detail) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "valuetier: %s running %.0f s", label, seconds));
    if (fraction >= 0) {
      sb.append(String.format(Locale.ROOT, ", %.0f%%", Math.min(1, fraction) * 100));
    }
    if (detail != null && !detail.isBlank()) {
      sb.append(", ").append(detail);
    }
    return sb.toString();
  }

  private void render(String label, double f, String detail) {
    int width = 30;
    StringBuilder sb = new StringBuilder("\r").append(String.format(Locale.ROOT, "%-10s [", label));
    if (f < 0) {
      sb.append(" ".repeat(width)).append("]      ");
    } else {
      int n = (int) Math.round(Math.min(1, f) * width);
      sb.append("#".repeat(n)).append(" ".repeat(width - n)).append("] ");
      sb.append(String.format(Locale.ROOT, "%3.0f%% ", Math.min(1, f) * 100));
    }
    sb.append(detail == null ? "" : detail).append("   ");
    out.print(sb);
    out.flush();
  }

  @Override
  public void close() {
    done = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (bar) {
        out.print("\r" + " ".repeat(100) + "\r");
        out.flush();
      }
    }
  }
}
