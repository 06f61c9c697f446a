package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analysts' test tables are split by the ingest's RFC 4180 reader. */
class CsvTest {

  @Test
  void quotedFieldsDoubledQuotesLineBreaksBomAndBlankLines() {
    List<String> problems = new ArrayList<>();
    List<List<String>> rows = Csv.parse(
        "\uFEFFcase,country\r\n\"a, b\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",DE\nlast,\n", problems);
    assertEquals(List.of(
        List.of("case", "country"),
        List.of("a, b", "say \"hi\""),
        List.of("two\nlines", "DE"),
        List.of("last", "")), rows);
    assertEquals(List.of(), problems);
  }

  @Test
  void aStrayQuoteIsReportedWithItsLineAndTheOtherRowsAreKept() {
    List<String> problems = new ArrayList<>();
    List<List<String>> rows = Csv.parse("case,country\nbad\"quote,DE\nok,FR\n", problems);
    assertEquals(List.of(List.of("case", "country"), List.of("ok", "FR")), rows);
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("line 2: a quote inside unquoted column 1"), problems::toString);
  }
}
