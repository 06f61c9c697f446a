package io.valuetier.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.records.RejectReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelimitedReaderTest {

  private static List<RawRecord> read(byte[] bytes, DelimitedReader.Mode mode, int columns) {
    List<RawRecord> out = new ArrayList<>();
    try (DelimitedReader r = new DelimitedReader(new ByteArrayInputStream(bytes), mode, columns, 5)) {
      for (RawRecord rec = r.next(); rec != null; rec = r.next()) {
        out.add(rec);
      }
    }
    return out;
  }

  private static List<RawRecord> read(String text, int columns) {
    return read(text.getBytes(StandardCharsets.UTF_8), DelimitedReader.Mode.COMMA, columns);
  }

  @Test
  void quotedFieldsKeepCommasDoubledQuotesAndLineBreaks() {
    List<RawRecord> recs = read("a,b,c\n1,\"x, \"\"y\"\"\",3\n2,\"two\nlines\",4\n", 3);
    assertEquals(3, recs.size());
    assertArrayEquals(new String[] {"1", "x, \"y\"", "3"}, recs.get(1).fields());
    assertArrayEquals(new String[] {"2", "two\nlines", "4"}, recs.get(2).fields());
    assertEquals(3, recs.get(2).line());
    assertEquals(2, recs.get(2).lineSpan());
  }

  @Test
  void crlfLineEndingsAndAByteOrderMarkAreIgnored() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "h1,h2\r\nv1,v2\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    List<RawRecord> recs = read(all, DelimitedReader.Mode.COMMA, 2);
    assertArrayEquals(new String[] {"h1", "h2"}, recs.get(0).fields());
    assertArrayEquals(new String[] {"v1", "v2"}, recs.get(1).fields());
  }

  @Test
  void anUnclosedQuoteRejectsOnlyItsOwnLineAndReadingResumesOnTheNext() {
    List<RawRecord> recs = read("a,b,c\n1,\"broken,3\n2,ok,4\n3,fine,5\n", 3);
    assertEquals(4, recs.size());
    assertEquals(RejectReason.BAD_QUOTING, recs.get(1).problem());
    assertEquals(2, recs.get(1).line());
    assertEquals("1,\"broken,3", recs.get(1).text());
    assertArrayEquals(new String[] {"2", "ok", "4"}, recs.get(2).fields());
    assertEquals(3, recs.get(2).line());
    assertArrayEquals(new String[] {"3", "fine", "5"}, recs.get(3).fields());
  }

  @Test
  void textAfterAClosingQuoteIsBadQuoting() {
    List<RawRecord> recs = read("1,\"ab\"cd,3\n", 3);
    assertEquals(RejectReason.BAD_QUOTING, recs.get(0).problem());
    assertEquals(1, recs.get(0).problemColumn());
  }

  @Test
  void aByteThatIsNotUtf8RejectsTheLineAndNamesTheColumnAndByte() {
    byte[] bytes = "1,caf\u00e9,3\n1,caf,3\n".getBytes(StandardCharsets.ISO_8859_1);
    List<RawRecord> recs = read(bytes, DelimitedReader.Mode.COMMA, 3);
    assertEquals(RejectReason.BAD_ENCODING, recs.get(0).problem());
    assertEquals(1, recs.get(0).problemColumn());
    assertTrue(recs.get(0).problemMessage().contains("0xE9"), recs.get(0).problemMessage());
    assertArrayEquals(new String[] {"1", "caf", "3"}, recs.get(1).fields());
  }

  @Test
  void validMultiByteUtf8IsDecoded() {
    List<RawRecord> recs = read("1,\u00a3 5 \u20ac,3\n", 3);
    assertArrayEquals(new String[] {"1", "\u00a3 5 \u20ac", "3"}, recs.get(0).fields());
  }

  @Test
  void emptyAndBlankLinesAreReportedWithTheirLineNumbers() {
    List<RawRecord> recs = read("a,b\n\n1,2\n   \n3,4", 2);
    assertEquals(5, recs.size());
    assertEquals(RejectReason.EMPTY_LINE, recs.get(1).problem());
    assertEquals(2, recs.get(1).line());
    assertEquals(RejectReason.EMPTY_LINE, recs.get(3).problem());
    assertArrayEquals(new String[] {"3", "4"}, recs.get(4).fields());
    assertEquals(5, recs.get(4).line());
  }

  @Test
  void aTrailingCommaMeansAnEmptyLastField() {
    assertArrayEquals(new String[] {"1", "2", ""}, read("1,2,\n", 3).get(0).fields());
  }

  @Test
  void whitespaceModeSplitsOnRunsOfSpacesAndTabs() {
    List<RawRecord> recs =
        read(" 00001 19970101  1   11.77\r\n\t00002\t19970112 1 12.00\n".getBytes(StandardCharsets.UTF_8),
            DelimitedReader.Mode.WHITESPACE, -1);
    assertArrayEquals(new String[] {"00001", "19970101", "1", "11.77"}, recs.get(0).fields());
    assertArrayEquals(new String[] {"00002", "19970112", "1", "12.00"}, recs.get(1).fields());
  }

  @Test
  void anEmptyInputHasNoRecords() {
    try (DelimitedReader r =
        new DelimitedReader(new ByteArrayInputStream(new byte[0]), DelimitedReader.Mode.COMMA, -1, 5)) {
      assertNull(r.next());
    }
  }

  /** An endless-looking input: {@code size} bytes of '7' and then one short line, made as read, never held whole. */
  private static java.io.InputStream oneLongLineThen(long size, String after) {
    byte[] tail = after.getBytes(StandardCharsets.US_ASCII);
    return new java.io.InputStream() {
      long served;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (served >= size + tail.length) {
          return -1;
        }
        if (served < size) {
          int n = (int) Math.min(len, size - served);
          java.util.Arrays.fill(b, off, off + n, (byte) '7');
          served += n;
          return n;
        }
        int n = (int) Math.min(len, size + tail.length - served);
        System.arraycopy(tail, (int) (served - size), b, off, n);
        served += n;
        return n;
      }
    };
  }

  @Test
  void aLineLongerThanAnyArrayIsRejectedAsTooLongWithoutBeingBufferedAndReadingResumesAfterIt() {
    long size = 3L << 30; // 3 GiB: more than a Java array can hold, so buffering it would fail
    try (DelimitedReader r =
        new DelimitedReader(oneLongLineThen(size, "\n1,2\n"), DelimitedReader.Mode.COMMA, -1, 5, 1 << 20)) {
      RawRecord tooLong = r.next();
      assertEquals(RejectReason.RECORD_TOO_LONG, tooLong.problem());
      assertTrue(tooLong.problemMessage().contains(size + " bytes long"), tooLong.problemMessage());
      assertTrue(tooLong.bytes().length < 4096, "keeps only the start of the line");
      assertTrue(tooLong.text().endsWith("… [truncated, " + size + " bytes]"), "says it was cut");
      assertArrayEquals(new String[] {"1", "2"}, r.next().fields());
      assertNull(r.next());
    }
  }

  @Test
  void aQuotedRecordStopsJoiningLinesAtTheByteBoundAndTheLinesAreReadAgainOnTheirOwn() {
    String big = "x".repeat(3000);
    String text = "a,b\n1,\"open\n" + big + "\n" + big + "\n2,3\n";
    List<RawRecord> recs = new ArrayList<>();
    try (DelimitedReader r =
        new DelimitedReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            DelimitedReader.Mode.COMMA, 2, 20, 4096)) {
      for (RawRecord rec = r.next(); rec != null; rec = r.next()) {
        recs.add(rec);
      }
    }
    assertEquals(RejectReason.BAD_QUOTING, recs.get(1).problem());
    assertEquals(2, recs.get(1).line());
    assertArrayEquals(new String[] {"2", "3"}, recs.getLast().fields());
    assertEquals(5, recs.getLast().line());
  }
}
