package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.CustomerFactsCleaner;
import io.valuetier.clean.OutcomeCleaner;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.config.Settings;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.records.Rejection;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property tests of the CSV reader and the cleaners over generated files: random bytes, quotes and doubled quotes,
 * CR/LF mixes, byte-order marks, Latin-1 and invalid UTF-8, random column counts, hostile numbers and dates. For every
 * file: no exception escapes, every physical line belongs to exactly one record, every record is accepted or rejected
 * (read = accepted + rejected), and every rejection is bounded. A smaller number of files goes through the real ingest
 * route into H2. Fixed seeds.
 */
class IngestFuzzTest {
  /** The three header-named layouts, six columns each, that the generated files carry. */
  enum Kind {
    TRANSACTIONS("order_id,customer_id,order_date,quantity,unit_price,currency"),
    FACTS("customer_id,segment,open_complaints,signup_date,marketing_consent,country"),
    OUTCOMES("decision_id,customer_id,responded,revenue,window_days,observed_at");

    final String header;

    Kind(String header) {
      this.header = header;
    }
  }

  private static final CleaningRules RULES =
      new CleaningRules(new BigDecimal("1000000"), new BigDecimal("1000000"), new BigDecimal("10000"),
          new BigDecimal("10000"), LocalDateTime.of(2026, 1, 1, 0, 0), LocalDateTime.of(1990, 1, 1, 0, 0), "GBP");
  private static final int MAX_RECORD_BYTES = 4096;

  // ---- generators ----

  private static final List<String> NUMBERS = List.of(
      "1", "2.55", "-1", "+3", "0", "-0", ".5", "5.", "1e3", "1E+30", "1e31", "1e999999999", "9E+2147483647",
      "1e-999999999", "NaN", "Infinity", "-Infinity", "1,5", "1.000,50", "1 000", "0x1F", "١٢", "12345678901234567890123456789012345",
      "00000000000000000000000000000000000001", "--1", "1e", "e5", "");
  private static final List<String> DATES = List.of(
      "2011-01-01 10:00:00", "2011-01-01", "2011-01-01T10:00", "2011-01-01T10:00:00+02:00", "19970101",
      "12/9/2011 12:50", "2011-02-30 10:00:00", "2099-01-01", "1900-01-01", "yesterday", "2011-13-01",
      "2011-01-01 25:00:00", "9999999999-01-01", "");
  private static final List<String> IDS = List.of(
      "17850", "17850.0", "c1", "NaN", "null", " ", "=HYPERLINK(\"x\")", "é", "\u0000", "x".repeat(65), "");
  private static final List<String> WORDS = List.of(
      "yes", "no", "y", "0", "1", "maybe", "GBP", "gbp", "EURO", "vip", "United Kingdom", "s".repeat(70));

  private static Arbitrary<byte[]> utf8(Arbitrary<String> s) {
    return s.map(x -> x.getBytes(StandardCharsets.UTF_8));
  }

  /** One cell's bytes: typed values, quoting fragments, odd bytes, or noise. */
  private static Arbitrary<byte[]> cell() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, utf8(Arbitraries.of(NUMBERS))),
        Tuple.of(3, utf8(Arbitraries.of(DATES))),
        Tuple.of(3, utf8(Arbitraries.of(IDS))),
        Tuple.of(2, utf8(Arbitraries.of(WORDS))),
        Tuple.of(2, utf8(Arbitraries.of("\"", "\"\"", "\"a,b\"", "\"x\"\"y\"", "\"open", "close\"", "a\"b",
            "\"multi\nline\"", "\"cr\r\nlf\""))),
        Tuple.of(2, Arbitraries.of(new byte[] {(byte) 0xE9}, new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0,
                (byte) 0x80})),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(12).map(x -> x.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(10)),
        Tuple.of(1, Arbitraries.integers().between(100, 6000).map(n -> "z".repeat(n).getBytes(StandardCharsets.US_ASCII))));
  }

  private static Arbitrary<byte[]> line() {
    Arbitrary<Integer> columns = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(6)), Tuple.of(1, Arbitraries.integers().between(0, 12)));
    return columns.flatMap(n -> cell().list().ofSize(n)).map(cells -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.writeBytes(cells.get(i));
      }
      return out.toByteArray();
    });
  }

  /** A file: a byte-order mark or not, the layout's header, then lines with mixed line ends. */
  record Generated(Kind kind, byte[] bytes) {
    @Override
    public String toString() {
      return kind + ": " + new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  @Provide
  Arbitrary<Generated> files() {
    Arbitrary<byte[]> ending = Arbitraries.of("\n", "\r\n", "\r", "\n\n", "").map(s -> s.getBytes(StandardCharsets.US_ASCII));
    Arbitrary<byte[]> body = Combinators.combine(line(), ending).as((l, e) -> {
      byte[] b = new byte[l.length + e.length];
      System.arraycopy(l, 0, b, 0, l.length);
      System.arraycopy(e, 0, b, l.length, e.length);
      return b;
    }).list().ofMaxSize(25).map(ls -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ls.forEach(out::writeBytes);
      return out.toByteArray();
    });
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false), body).as((k, bom, b) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (bom) {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      }
      out.writeBytes((k.header + "\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(b);
      return new Generated(k, out.toByteArray());
    });
  }

  // ---- reader and cleaners ----

  private static long physicalLines(byte[] b) {
    long n = 0;
    for (byte x : b) {
      if (x == '\n') {
        n++;
      }
    }
    return b.length > 0 && b[b.length - 1] != '\n' ? n + 1 : n;
  }

  private static void assertBounded(Rejection r) {
    assertTrue(r.message().length() <= 1024, r.message());
    assertTrue(r.value() == null || r.value().length() <= 300, r.value());
    assertTrue(r.originalText().length() <= 4200, "original text of line " + r.line());
  }

  @Property(tries = 600, seed = "20261203")
  void everyLineOfAnyFileIsReadOnceAndEveryRecordIsAcceptedOrRejectedWithABoundedReason(
      @ForAll("files") Generated file) {
    long records = 0;
    long accepted = 0;
    long rejected = 0;
    long spans = 0;
    try (DelimitedReader reader =
        new DelimitedReader(new ByteArrayInputStream(file.bytes()), DelimitedReader.Mode.COMMA, -1, 5, MAX_RECORD_BYTES)) {
      RawRecord header = reader.next();
      spans += header.lineSpan();
      String[] names = header.fields();
      TransactionLines tx =
          file.kind() == Kind.TRANSACTIONS ? TransactionLines.bind("f", TransactionFormat.CANONICAL, header, RULES) : null;
      CustomerFactsCleaner facts =
          file.kind() == Kind.FACTS ? new CustomerFactsCleaner("f", names, LocalDateTime.of(2026, 1, 1, 0, 0)) : null;
      OutcomeCleaner outcomes =
          file.kind() == Kind.OUTCOMES ? new OutcomeCleaner("f", names, LocalDateTime.of(2026, 1, 1, 0, 0)) : null;
      for (RawRecord r = reader.next(); r != null; r = reader.next()) {
        records++;
        spans += r.lineSpan();
        Rejection rej;
        if (r.problem() != null) {
          rej = new Rejection(r.line(), r.problem(), null, null, r.problemMessage(), r.text());
        } else if (tx != null) {
          TransactionCleaner.Result res = tx.apply(r);
          rej = res.rejected();
        } else if (facts != null) {
          rej = facts.clean(r.line(), r.fields(), r::text).rejected();
        } else {
          rej = outcomes.clean(r.line(), r.fields(), r::text).rejected();
        }
        if (rej == null) {
          accepted++;
        } else {
          rejected++;
          assertBounded(rej);
        }
      }
      assertEquals(physicalLines(file.bytes()), reader.physicalLines(), "every physical line read");
    }
    assertEquals(physicalLines(file.bytes()), spans, "every physical line in exactly one record");
    assertEquals(records, accepted + rejected, "read = accepted + rejected");
  }

  @Property(tries = 300, seed = "20261205")
  void anyBytesInEitherModeAreSplitIntoRecordsThatCoverEveryLineOnce(
      @ForAll("anyBytes") byte[] bytes, @ForAll DelimitedReader.Mode mode) {
    long spans = 0;
    try (DelimitedReader reader = new DelimitedReader(new ByteArrayInputStream(bytes), mode, -1, 3, MAX_RECORD_BYTES)) {
      for (RawRecord r = reader.next(); r != null; r = reader.next()) {
        spans += r.lineSpan();
        assertTrue((r.fields() == null) != (r.problem() == null), "fields or a problem, never both or neither");
      }
    }
    assertEquals(physicalLines(bytes), spans, "every physical line in exactly one record");
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    Arbitrary<Byte> b = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.bytes()), Tuple.of(2, Arbitraries.of((byte) '\n', (byte) '\r', (byte) '"', (byte) ',')),
        Tuple.of(1, Arbitraries.of((byte) ' ', (byte) '\t', (byte) 0)));
    return b.list().ofMaxSize(5000).map(l -> {
      byte[] out = new byte[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i);
      }
      return out;
    });
  }

  // ---- the real ingest route ----

  private static Path work;
  private static Store store;
  private static IngestService ingest;
  private static int files;

  private static synchronized IngestService ingest() throws IOException {
    if (ingest == null) {
      work = Files.createTempDirectory("vt-fuzz");
      Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of("valuetier.ingest.chunk-size", "100"));
      store = Stores.open(s);
      ingest = new IngestService(s, store);
    }
    return ingest;
  }

  @AfterContainer
  static void closeStore() throws IOException {
    if (ingest != null) {
      ingest.close();
      store.close();
      try (Stream<Path> all = Files.walk(work)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      ingest = null;
    }
  }

  @Property(tries = 50, seed = "20261204")
  void anyTextFileThroughTheRealIngestRouteCompletesWithEveryRecordAccountedForAndABinaryOneIsRefusedWhole(
      @ForAll("files") Generated file) throws IOException {
    IngestService service = ingest();
    Path f = work.resolve("f" + files++ + ".csv");
    Files.write(f, file.bytes());
    long runsBefore = store.queryLong("SELECT COUNT(*) FROM ingest_runs");
    String refusal = SourceFile.binaryKind(java.util.Arrays.copyOf(file.bytes(), Math.min(file.bytes().length, 8192)));
    if (file.bytes().length == 0 || refusal != null) {
      // an empty or binary file is refused whole, with one message naming it, before anything is stored
      IngestException e = org.junit.jupiter.api.Assertions.assertThrows(IngestException.class, () -> ingest(service,
          file, f));
      assertTrue(e.getMessage().startsWith(f.toAbsolutePath().toString()), e.getMessage());
      assertEquals(runsBefore, store.queryLong("SELECT COUNT(*) FROM ingest_runs"), "nothing stored");
      return;
    }
    IngestReport r = ingest(service, file, f);
    assertEquals("COMPLETED", r.status(), r.failure());
    assertEquals(r.read(), r.accepted() + r.rejected(), "read = accepted + rejected");
    assertEquals(r.rejected(), r.rejectedByReason().values().stream().mapToLong(Long::longValue).sum());
    long stored = store.queryLong(
        "SELECT COUNT(*) FROM rejected_records WHERE source_id = (SELECT source_id FROM ingest_runs WHERE run_id = ?)",
        r.runId());
    assertEquals(r.rejected(), stored, "every rejection stored once");
    assertTrue(store.queryLong("SELECT COALESCE(MAX(LENGTH(original_text)), 0) FROM rejected_records") <= 4200);
  }

  private static IngestReport ingest(IngestService service, Generated file, Path f) {
    return switch (file.kind()) {
      case TRANSACTIONS -> service.ingestTransactions(f, TransactionFormat.CANONICAL);
      case FACTS -> service.ingestCustomers(f);
      case OUTCOMES -> service.ingestOutcomes(f);
    };
  }
}
