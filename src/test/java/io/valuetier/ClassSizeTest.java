package io.valuetier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No source file of the main code is over {@value #MAX_LINES} lines unless its class documentation says, in a
 * sentence starting with {@value #MARKER}, why it is one job. A long class is usually several jobs that a newcomer
 * has to tell apart; where it is not (a parser's grammar, a checker's allow-list), the reason is written down where the
 * next reader looks.
 */
class ClassSizeTest {
  static final int MAX_LINES = 400;
  static final String MARKER = "One job:";

  @Test
  void everyLongClassSaysWhyItIsOneJob() throws IOException {
    List<String> tooLong = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        checked++;
        List<String> lines = Files.readAllLines(f);
        if (lines.size() > MAX_LINES && !classDocSaysOneJob(lines)) {
          tooLong.add(f + " (" + lines.size() + " lines)");
        }
      }
    }
    assertTrue(checked > 100, "the main sources were not found from " + Path.of("").toAbsolutePath());
    assertTrue(tooLong.isEmpty(), "over " + MAX_LINES + " lines without '" + MARKER
        + " ...' in the class documentation (split it by job, or say why it is one): " + tooLong);
  }

  /** Whether the Javadoc just before the first top-level type declaration holds the marker. */
  static boolean classDocSaysOneJob(List<String> lines) {
    StringBuilder doc = new StringBuilder();
    boolean inDoc = false;
    for (String line : lines) {
      String t = line.strip();
      if (t.startsWith("/**")) {
        inDoc = true;
        doc.setLength(0);
      }
      if (inDoc) {
        doc.append(t).append(' ');
        if (t.endsWith("*/")) {
          inDoc = false;
        }
        continue;
      }
      if (t.matches("(public |final |abstract |sealed |non-sealed )*(class|record|interface|enum) .*")) {
        return doc.toString().contains(MARKER);
      }
      if (!t.isEmpty() && !t.startsWith("@") && !t.startsWith("import ") && !t.startsWith("package ")
          && !t.startsWith("//")) {
        doc.setLength(0);
      }
    }
    return false;
  }

  @Test
  void theMarkerIsFoundOnlyInTheClassDocumentation() {
    assertTrue(classDocSaysOneJob(List.of("package a;", "/** Reads X. One job: the grammar. */", "final class A {")));
    assertTrue(!classDocSaysOneJob(List.of("package a;", "/** Reads X. */", "final class A {", "/** One job: */")));
    assertTrue(!classDocSaysOneJob(List.of("/** One job: x */", "import b.C;", "int x;", "class A {")));
  }
}
