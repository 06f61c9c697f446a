package io.valuetier.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}, installed by .ci/run) opening a local page, with the flags
 * that keep it off the network. Fails the test with the reason when Chromium is missing.
 */
public final class Chromium {
  private Chromium() {}

  /** The page's DOM after its scripts ran, and Chromium's log (console messages included). */
  public record Page(String dom, String log) {}

  public static Page open(Path html, Path work) throws IOException, InterruptedException {
    return run(html, work, List.of("--dump-dom"));
  }

  /**
   * The page as a reader without scripts sees it (a mail client, a locked-down browser). Chromium's switch that
   * disables scripts also stops {@code --dump-dom}, so a copy of the page gets a Content-Security-Policy that
   * forbids every script ({@code script-src 'none'}, added to any policy of its own) as the first element of its head.
   */
  public static Page openWithoutScripts(Path html, Path work) throws IOException, InterruptedException {
    String page = Files.readString(html, StandardCharsets.UTF_8);
    int head = page.indexOf("<head>");
    if (head < 0) {
      throw new AssertionError(html + " has no <head> to put the policy in");
    }
    Path copy = Files.createTempFile(work, "without-scripts", ".html");
    Files.writeString(copy, page.substring(0, head + 6)
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">" + page.substring(head + 6),
        StandardCharsets.UTF_8);
    return run(copy, work, List.of("--dump-dom"));
  }

  public static void screenshot(Path html, Path png, int width, int height, Path work)
      throws IOException, InterruptedException {
    run(html, work, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars"));
  }

  private static Page run(Path html, Path work, List<String> extra) throws IOException, InterruptedException {
    String exe = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(exe))) {
      throw new AssertionError("Chromium is needed by this test and " + exe + " is missing: apt-get install chromium");
    }
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=10000"));
    cmd.addAll(extra);
    cmd.add(html.toUri().toString());
    Path out = work.resolve("chromium-out-" + System.nanoTime() + ".txt");
    Path err = work.resolve("chromium-err-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 120 s: " + Files.readString(err));
    }
    return new Page(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
