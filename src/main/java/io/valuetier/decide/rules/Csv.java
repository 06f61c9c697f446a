package io.valuetier.decide.rules;

import io.valuetier.ingest.DelimitedReader;
import io.valuetier.ingest.RawRecord;
import io.valuetier.records.RejectReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The analysts' test tables read with the ingest's RFC 4180 reader (quoted fields, doubled quotes, line breaks inside
 * quotes, CRLF or LF, a byte-order mark skipped), so that a test table and a data file are split the same way.
 */
final class Csv {
  private Csv() {}

  /**
   * The rows of {@code text}, each the list of its fields; blank lines are skipped. A line the reader cannot split
   * (a stray or unclosed quote, an over-long line) is left out and reported in {@code problems} as
   * {@code "line N: why"}.
   */
  static List<List<String>> parse(String text, List<String> problems) {
    List<List<String>> rows = new ArrayList<>();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try (DelimitedReader reader =
        new DelimitedReader(new ByteArrayInputStream(bytes), DelimitedReader.Mode.COMMA, -1, Integer.MAX_VALUE)) {
      for (RawRecord r = reader.next(); r != null; r = reader.next()) {
        if (r.problem() == null) {
          rows.add(Arrays.asList(r.fields()));
        } else if (r.problem() != RejectReason.EMPTY_LINE) {
          problems.add("line " + r.line() + ": " + r.problemMessage());
        }
      }
    }
    return rows;
  }
}
