package io.valuetier.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A progress bar on the terminal for a long stage; silent when the output is not a terminal (CI logs, pipes) or when
 * the command prints JSON.
 */
public final class Progress implements AutoCloseable {
  private final Thread thread;
  private final PrintStream out;
  private volatile boolean done;

  private Progress(String label, DoubleSupplier fraction, Supplier<String> detail, PrintStream out, boolean enabled) {
    this.out = out;
    if (!enabled) {
      thread = null;
      return;
    }
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("progress")
            .start(
                () -> {
                  while (!done) {
                    render(label, fraction.getAsDouble(), detail.get());
                    try {
                      Thread.sleep(200);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** Starts a bar, shown only when stderr is a terminal and {@code quiet} is false. */
  public static Progress start(String label, DoubleSupplier fraction, Supplier<String> detail, boolean quiet) {
    return new Progress(label, fraction, detail, System.err, !quiet && System.console() != null);
  }

  private void render(String label, double f, String detail) {
    int width = 30;
    StringBuilder sb = new StringBuilder("\r").append(String.format(Locale.ROOT, "%-10s [", label));
    if (f < 0) {
      sb.append(" ".repeat(width)).append("]      ");
    } else {
      int n = (int) Math.round(f * width);
      sb.append("#".repeat(n)).append(" ".repeat(width - n)).append("] ");
      sb.append(String.format(Locale.ROOT, "%3.0f%% ", f * 100));
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
      out.print("\r" + " ".repeat(100) + "\r");
      out.flush();
    }
  }
}
