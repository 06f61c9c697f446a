package io.valuetier.decide.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one rule set, by relative path: {@code dmn/*.dmn}, {@code dmn/tests/*.csv} and {@code rules/*.drl}.
 * They can come from any folder (the installation, a candidate folder for a what-if run) or from a stored version.
 * The version id is a content hash of all files, so the same files always give the same version.
 */
public final class RuleFiles {
  /** Folder of the DMN models, relative to the rule-set root. */
  public static final String DMN_DIR = "dmn";
  /** Folder of the analysts' test tables. */
  public static final String TESTS_DIR = "dmn/tests";
  /** Folder of the DRL guardrails. */
  public static final String RULES_DIR = "rules";

  private final SortedMap<String, String> files;
  private final String id;
  private final boolean single;

  private RuleFiles(SortedMap<String, String> files, boolean single) {
    this.files = files;
    this.id = hash(files);
    this.single = single;
  }

  private RuleFiles(SortedMap<String, String> files) {
    this(files, false);
  }

  /** Whether these are the files of one file given on its own (validated alone, not as a whole rule set). */
  public boolean isSingleFile() {
    return single;
  }

  /** Files from a map of relative path to content (a stored version). */
  public static RuleFiles of(Map<String, String> files) {
    return new RuleFiles(new TreeMap<>(files));
  }

  /**
   * Reads a rule set from {@code path}: a folder with {@code dmn/} and/or {@code rules/} (an installation), a folder
   * of {@code .dmn}, {@code .drl} and {@code .csv} files, or one such file.
   */
  public static RuleFiles read(Path path) {
    TreeMap<String, String> out = new TreeMap<>();
    if (Files.isRegularFile(path)) {
      add(out, path, placeOf(path.getFileName().toString()));
      return new RuleFiles(out, true);
    } else if (Files.isDirectory(path.resolve(DMN_DIR)) || Files.isDirectory(path.resolve(RULES_DIR))) {
      addAll(out, path.resolve(DMN_DIR), ".dmn", DMN_DIR);
      addAll(out, path.resolve(TESTS_DIR), ".csv", TESTS_DIR);
      addAll(out, path.resolve(RULES_DIR), ".drl", RULES_DIR);
    } else if (Files.isDirectory(path)) {
      addAll(out, path, ".dmn", DMN_DIR);
      addAll(out, path, ".csv", TESTS_DIR);
      addAll(out, path, ".drl", RULES_DIR);
    } else {
      throw new IllegalArgumentException("no rule files at " + path + ": give a folder with dmn/ and rules/, or a file");
    }
    return new RuleFiles(out);
  }

  private static String placeOf(String name) {
    if (name.endsWith(".dmn")) {
      return DMN_DIR + "/" + name;
    }
    if (name.endsWith(".drl")) {
      return RULES_DIR + "/" + name;
    }
    if (name.endsWith(".csv")) {
      return TESTS_DIR + "/" + name;
    }
    throw new IllegalArgumentException(name + " is not a rule file: .dmn, .drl or .csv");
  }

  private static void addAll(Map<String, String> out, Path dir, String ext, String prefix) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(ext)).toList()) {
        add(out, p, prefix + "/" + p.getFileName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void add(Map<String, String> out, Path file, String key) {
    try {
      out.put(key, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String hash(Map<String, String> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (var e : files.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the files under {@code root}, removing rule files there that are not part of this set. */
  public void writeTo(Path root) {
    try {
      for (String dir : List.of(DMN_DIR, TESTS_DIR, RULES_DIR)) {
        Path d = root.resolve(dir);
        if (Files.isDirectory(d)) {
          try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
              String name = p.getFileName().toString();
              String key = dir + "/" + name;
              boolean ruleFile = name.endsWith(".dmn") || name.endsWith(".drl") || name.endsWith(".csv");
              if (ruleFile && !files.containsKey(key)) {
                Files.delete(p);
              }
            }
          }
        }
      }
      for (var e : files.entrySet()) {
        Path p = root.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the rule files to " + root + ": " + e.getMessage(), e);
    }
  }

  /** The content-hash version id (16 hex digits). */
  public String id() {
    return id;
  }

  /** Every file, by relative path. */
  public SortedMap<String, String> all() {
    return Collections.unmodifiableSortedMap(files);
  }

  /** The files under {@code dir} with extension {@code ext} (e.g. dmn, .dmn). */
  public Map<String, String> in(String dir, String ext) {
    Map<String, String> out = new LinkedHashMap<>();
    files.forEach(
        (k, v) -> {
          int slash = k.lastIndexOf('/');
          String parent = slash < 0 ? "" : k.substring(0, slash);
          if (parent.equals(dir) && k.endsWith(ext)) {
            out.put(k, v);
          }
        });
    return out;
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }
}
