package io.valuetier.model.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Where a model came from: library and Java versions and the git commit of the code that trained it. */
public final class Provenance {
  private Provenance() {}

  /** Smile's version, from its jar's manifest or file name; "unknown" if neither says. */
  public static String smileVersion() {
    Package p = smile.regression.GradientTreeBoost.class.getPackage();
    if (p != null && p.getImplementationVersion() != null) {
      return p.getImplementationVersion();
    }
    try {
      var src = smile.regression.GradientTreeBoost.class.getProtectionDomain().getCodeSource();
      if (src != null) {
        String name = Path.of(src.getLocation().toURI()).getFileName().toString();
        var m = Pattern.compile("smile-core-(.+)\\.jar").matcher(name);
        if (m.matches()) {
          return m.group(1);
        }
      }
    } catch (Exception e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
    return "unknown";
  }

  public static String javaVersion() {
    return Runtime.version().toString();
  }

  /** This project's version from the jar manifest, or "development build". */
  public static String projectVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  /** The commit checked out in {@code home} (with "+changes" when the tree is dirty), or "unknown" outside git. */
  public static String gitCommit(Path home) {
    String head = run(home, "git", "rev-parse", "HEAD");
    if (head == null || head.isBlank()) {
      return "unknown";
    }
    String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
    return head.strip() + (status != null && !status.isBlank() ? "+changes" : "");
  }

  private static String run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null; // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SHA-256 of a file, hex. */
  public static String sha256(Path file) throws IOException {
    try {
      var md = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
