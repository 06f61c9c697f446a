package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code valuetier ingest} as a user runs it: bad rows are shown with their line, reason, column and value. */
class IngestCommandTest {
  @TempDir Path work;

  @Test
  void theFirstRejectedLinesArePrintedWithLineReasonColumnAndValue() {
    Path home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath();
    CliRun r = run("ingest", "--home=" + home, "--db=jdbc:h2:file:" + work.resolve("db"),
        "--transactions", home.resolve("src/test/resources/ingest/malformed-online-retail.csv").toString(),
        "--format", "online-retail");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("first rejected lines"), r.out());
    assertTrue(r.out().matches("(?s).*\\n    line \\d+: [A-Z_]+, column [^\\n]+: [^\\n]+\\n.*"),
        "a rejected line with its line, reason, column and message:\n" + r.out());
  }

  @Test
  void aWrongFormatIsRefusedWithTheValuesThatAreAllowed() {
    CliRun r = run("ingest", "--db=jdbc:h2:file:" + work.resolve("db"), "--transactions", "x.csv", "--format", "excel");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--format") && r.err().contains("excel") && r.err().contains("online-retail"),
        "out: " + r.out() + " err: " + r.err());
  }
}
