package io.valuetier.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One command run in-process as a user runs it ({@link Main#run}), with what it printed on standard output and
 * standard error captured.
 */
record CliRun(int exit, String out, String err) {

  /** Runs {@code valuetier ARGS...} and captures its output. */
  /**
   * An installation of its own under {@code home}: the repository's {@code dirs} (e.g. {@code config}) copied there, so
   * that a command run with {@code --home} writes to its own model registry and data, not the repository's.
   */
  static void install(Path home, String... dirs) throws java.io.IOException {
    Path repo = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    for (String dir : dirs) {
      try (Stream<Path> files = Files.walk(repo.resolve(dir))) {
        for (Path p : files.toList()) {
          Path to = home.resolve(repo.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
  }

  static CliRun run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
