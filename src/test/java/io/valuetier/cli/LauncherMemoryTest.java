package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM memory rule: max heap = half of the memory limit, at most 3 GiB, at least 256 MiB; Parallel GC
 * for batch commands, ZGC for serve; VALUETIER_JAVA_OPTS replaces either. The real {@code valuetier} script runs with
 * a stand-in {@code java} that prints the options it was given.
 */
class LauncherMemoryTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @BeforeEach
  void install() throws IOException {
    Files.copy(Path.of("valuetier"), dir.resolve("valuetier"));
    Files.createDirectories(dir.resolve("target/lib"));
    Files.writeString(dir.resolve("target/valuetier.jar"), "");
    Path java = dir.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, """
        #!/bin/sh
        if [ "$1" = "-XshowSettings:properties" ]; then echo "    java.specification.version = 25" >&2; exit 0; fi
        for a in "$@"; do echo "$a"; done
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The JVM options the launcher passes for {@code memory} bytes, {@code opts} and the command {@code command}. */
  private List<String> options(long memory, String opts, String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", dir.resolve("valuetier").toString(), command);
    Map<String, String> env = pb.environment();
    env.put("VALUETIER_JAVA_HOME", dir.resolve("jdk").toString());
    env.put("VALUETIER_NO_BUILD", "1");
    env.put("VALUETIER_NO_INSTALL", "1");
    env.put("VALUETIER_MEMORY_BYTES", Long.toString(memory));
    env.remove("VALUETIER_JAVA_OPTS");
    if (opts != null) {
      env.put("VALUETIER_JAVA_OPTS", opts);
    }
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  private static String rule(List<String> options) {
    return options.stream().filter(o -> o.startsWith("-Dvaluetier.jvm.rule=")).findFirst().orElseThrow();
  }

  @Test
  void a24GiBMachineGetsA3GiBHeapAndTheParallelCollector() throws Exception {
    List<String> o = options(24 * GIB, null, "run");
    assertTrue(o.contains("-Xmx3072m") && o.contains("-XX:+UseParallelGC"), o.toString());
    assertTrue(rule(o).contains("half of the memory limit of 24576 MiB, at most 3 GiB"), rule(o));
  }

  @Test
  void aSmallMachineGetsHalfItsMemoryAndNeverLessThan256MiB() throws Exception {
    assertTrue(options(4 * GIB, null, "run").contains("-Xmx2048m"));
    assertTrue(options(300L << 20, null, "run").contains("-Xmx256m"));
  }

  @Test
  void serveGetsTheZCollector() throws Exception {
    List<String> o = options(24 * GIB, null, "serve");
    assertTrue(o.contains("-XX:+UseZGC") && !o.contains("-XX:+UseParallelGC"), o.toString());
  }

  @Test
  void valuetierJavaOptsReplacesTheHeapAndTheCollectorAndTheRuleSaysSo() throws Exception {
    List<String> o = options(24 * GIB, "-Xmx8g -XX:+UseSerialGC", "run");
    assertTrue(o.contains("-Xmx8g") && o.contains("-XX:+UseSerialGC"), o.toString());
    assertFalse(o.stream().anyMatch(x -> x.equals("-Xmx3072m") || x.equals("-XX:+UseParallelGC")), o.toString());
    assertEquals("-Dvaluetier.jvm.rule=heap: from VALUETIER_JAVA_OPTS; GC: from VALUETIER_JAVA_OPTS", rule(o));
  }
}
