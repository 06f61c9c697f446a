package io.valuetier.cli;

import static io.valuetier.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command with each ordinary mistake a user makes (a missing, empty, binary, truncated or wrongly laid-out
 * file, a folder for a file, a bad date or number, a broken rule cell, an unknown option) answers with one line on
 * stderr that names the thing, exits non-zero, and shows no stack trace.
 */
class OrdinaryMistakesTest {
  @TempDir static Path work;
  static Path home;
  static String db;
  static Path missing;
  static Path empty;
  static Path binary;
  static Path truncated;
  static Path wrongLayout;
  static Path folder;
  static Path brokenRules;

  @BeforeAll
  static void files() throws IOException {
    home = Path.of(System.getProperty("valuetier.home", ".")).toAbsolutePath().normalize();
    db = "jdbc:h2:file:" + work.resolve("db") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    missing = work.resolve("no-such-file.csv");
    empty = Files.createFile(work.resolve("empty.csv"));
    byte[] program = new byte[4096];
    program[0] = 0x7f;
    program[1] = 'E';
    program[2] = 'L';
    program[3] = 'F';
    binary = Files.write(work.resolve("program.bin"), program);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(gz)) {
      StringBuilder sb = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
      for (int i = 0; i < 20_000; i++) {
        sb.append(536365 + i).append(",85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,").append(17850 + i % 97)
            .append(",United Kingdom\n");
      }
      z.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    truncated = Files.write(work.resolve("cut.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
    wrongLayout = Files.writeString(work.resolve("layout.csv"), "InvoiceNo,StockCode,Description,Quantity\n1,2,3,4\n");
    folder = Files.createDirectory(work.resolve("a-folder"));
    brokenRules = work.resolve("broken-rules");
    Files.createDirectories(brokenRules.resolve("dmn"));
    Files.createDirectories(brokenRules.resolve("rules"));
    String dmn = Files.readString(home.resolve("dmn/customer-tiering.dmn"));
    String cell = "<inputEntry id=\"vt-r1-c2\"><text>-</text></inputEntry>";
    assertTrue(dmn.contains(cell), "the first row of Value Tier has a '-' cell to break");
    Files.writeString(brokenRules.resolve("dmn/customer-tiering.dmn"),
        dmn.replace(cell, "<inputEntry id=\"vt-r1-c2\"><text>&gt;= 0.5 and and</text></inputEntry>"));
    try (Stream<Path> drl = Files.list(home.resolve("rules"))) {
      for (Path p : drl.toList()) {
        Files.copy(p, brokenRules.resolve("rules").resolve(p.getFileName()));
      }
    }
  }

  /** The command line, and what its one line must name. */
  static Stream<Arguments> mistakes() {
    List<Arguments> all = new ArrayList<>();
    String m = missing.toString();
    String e = empty.toString();
    String b = binary.toString();
    String t = truncated.toString();
    String w = wrongLayout.toString();
    String f = folder.toString();
    for (Path[] file : new Path[][] {{missing}, {empty}, {binary}, {truncated}, {wrongLayout}, {folder}}) {
      String p = file[0].toString();
      String name = file[0].getFileName().toString();
      all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", p), List.of(name)));
      all.add(Arguments.of(List.of("run", "--format", "online-retail", "--transactions", p), List.of(name)));
      all.add(Arguments.of(List.of("train", "--format", "online-retail", "--transactions", p), List.of(name)));
      all.add(Arguments.of(List.of("evaluate", "--format", "online-retail", "--transactions", p,
          "--calibration-end", "2011-06-01", "--holdout-end", "2011-12-01"), List.of(name)));
    }
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", m), List.of("no such file")));
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", e), List.of("is empty")));
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", b), List.of("not a text CSV")));
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", t),
        List.of("gzip file is truncated or corrupt")));
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", w),
        List.of("InvoiceDate", "UnitPrice", "CustomerID", "Country")));
    all.add(Arguments.of(List.of("ingest", "--format", "online-retail", "--transactions", f), List.of("is a directory")));
    for (String p : List.of(m, e, b, f)) {
      all.add(Arguments.of(List.of("ingest", "--customers", p), List.of(Path.of(p).getFileName().toString())));
      all.add(Arguments.of(List.of("outcomes", "ingest", p), List.of(Path.of(p).getFileName().toString())));
    }
    all.add(Arguments.of(List.of("simulate", "--dmn", m), List.of("no such file", missing.getFileName().toString())));
    all.add(Arguments.of(List.of("simulate", "--dmn", f), List.of("is a directory")));
    all.add(Arguments.of(List.of("simulate", "--rules", b), List.of(binary.getFileName().toString())));
    all.add(Arguments.of(List.of("predict", "--cutoff", "2011-13-45"),
        List.of("--cutoff: 2011-13-45 is not a date like 2011-12-09")));
    all.add(Arguments.of(List.of("train", "--cutoff", "yesterday"), List.of("--cutoff", "yesterday")));
    all.add(Arguments.of(List.of("evaluate", "--transactions", m, "--calibration-end", "2011-06-01",
        "--holdout-end", "2011-02-30"), List.of("--holdout-end", "2011-02-30")));
    all.add(Arguments.of(List.of("evaluate", "--transactions", m, "--format", "cdnow"),
        List.of("--calibration-end", "--holdout-end", "--rolling")));
    all.add(Arguments.of(List.of("evaluate", "--transactions", m, "--format", "cdnow", "--rolling",
        "--calibration-end", "1997-09-30"), List.of("picks its own cutoffs", "--calibration-end")));
    all.add(Arguments.of(List.of("evaluate", "--transactions", m, "--format", "cdnow", "--rolling",
        "--customer-share", "0"), List.of("share of customers", "got 0.0")));
    all.add(Arguments.of(List.of("decide", "--threads", "many"), List.of("--threads", "many")));
    all.add(Arguments.of(List.of("serve", "--port", "80a"), List.of("--port", "80a")));
    all.add(Arguments.of(List.of("bench-model", "--seed", "x"), List.of("--seed", "x")));
    all.add(Arguments.of(List.of("bench-decide", "--customers", "1e3"), List.of("--customers", "1e3")));
    all.add(Arguments.of(List.of("bench-ingest", "--repeat", "two"), List.of("--repeat", "two")));
    all.add(Arguments.of(List.of("outcomes", "report", "--run", "latest"), List.of("--run", "latest")));
    all.add(Arguments.of(List.of("outcomes", "simulate", "--out", "x.csv", "--effect", "much"), List.of("--effect", "much")));
    all.add(Arguments.of(List.of("rules", "compare", "--run", "x"), List.of("--run", "x")));
    all.add(Arguments.of(List.of("run", "--retrian"), List.of("--retrian", "--retrain")));
    all.add(Arguments.of(List.of("monitor", "--bogus"), List.of("--bogus")));
    all.add(Arguments.of(List.of("models", "list", "--bogus"), List.of("--bogus")));
    all.add(Arguments.of(List.of("retrain", "--bogus"), List.of("--bogus")));
    all.add(Arguments.of(List.of("explain"), List.of("CUSTOMER_ID")));
    all.add(Arguments.of(List.of("validate-rules", brokenRules.toString()),
        List.of("customer-tiering.dmn", "'Value Tier'", "rule 1", "column", ">= 0.5 and and")));
    all.add(Arguments.of(List.of("test-rules", brokenRules.toString()),
        List.of("customer-tiering.dmn", "'Value Tier'", "rule 1", ">= 0.5 and and")));
    all.add(Arguments.of(List.of("validate-rules", m), List.of(missing.getFileName().toString())));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void anOrdinaryMistakeGetsOnePlainLineThatNamesTheThing(List<String> command, List<String> named) {
    List<String> args = new ArrayList<>(command);
    args.add("--home=" + home);
    args.add("--db=" + db);
    CliRun r = run(args.toArray(String[]::new));
    assertNotEquals(0, r.exit(), "exit code; stderr: " + r.err());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr, got:\n" + r.err());
    String line = lines.getFirst();
    assertTrue(line.startsWith("error: "), line);
    for (String n : named) {
      assertTrue(line.contains(n), "the line names " + n + ": " + line);
    }
    for (String trace : List.of("\tat ", "Exception", "Caused by")) {
      assertFalse(r.err().contains(trace), "no stack trace or exception name on stderr: " + r.err());
      assertFalse(r.out().contains(trace), "no stack trace or exception name on stdout: " + r.out());
    }
  }

  @Test
  void aTruncatedGzipIsReportedBeforeAnythingIsStored() {
    CliRun r = run("ingest", "--home=" + home, "--db=" + db, "--format", "online-retail", "--transactions",
        truncated.toString(), "--json");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("truncated or corrupt"), r.err());
    assertFalse(r.out().contains("\"accepted\""), "no ingest report: nothing was read into the store: " + r.out());
  }
}
