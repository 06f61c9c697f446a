package io.valuetier.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.DelimitedReader;
import io.valuetier.ingest.RawRecord;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer ids and texts that a spreadsheet would run as formulas reach marketing's CSV files (action and control
 * group) as text: a leading single quote, the cell quoted. The JSON Lines file keeps them exact, and the numbers we
 * format (a negative predicted value) stay numbers.
 */
class FormulaCellsTest {
  private static final List<String> FORMULAS =
      List.of("=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(1)", "-2+3", "\tcmd", "\r=1+1");

  @TempDir Path work;

  private static List<ActionRecord> actions() {
    List<ActionRecord> list = new ArrayList<>();
    for (int i = 0; i < FORMULAS.size(); i++) {
      boolean held = i % 2 == 1;
      list.add(new ActionRecord("d-" + i, FORMULAS.get(i), "Gold", "VIP_CALL", held ? null : "email",
          held ? null : "=1+1", 1, new BigDecimal("-3.5"), "-lapsed; =cmd", "rs-1", "gbt-1",
          Instant.parse("2026-11-28T10:00:00Z"), held, "+1,234.00 spend trend (raises the prediction)",
          "=cmd|' /C calc'!A0", null, "@Dedicated", List.of()));
    }
    return list;
  }

  /** Customer id to the fields of its row, read back with the product's RFC 4180 reader. */
  private static Map<String, String[]> rows(Path csv) throws Exception {
    Map<String, String[]> m = new LinkedHashMap<>();
    try (DelimitedReader r = new DelimitedReader(Files.newInputStream(csv), DelimitedReader.Mode.COMMA, 16, 5)) {
      assertEquals(ActionRecord.CSV_HEADER, String.join(",", r.next().fields()));
      for (RawRecord rec = r.next(); rec != null; rec = r.next()) {
        assertEquals(null, rec.problem(), rec.problemMessage());
        m.put(rec.fields()[1], rec.fields());
      }
    }
    return m;
  }

  @Test
  void formulaLikeCellsArePublishedNeutralisedInTheActionAndControlGroupFilesAndExactInJsonLines() throws Exception {
    Settings s =
        TestStores.settings(TestStores.h2Url(work), work, Map.of("valuetier.publish.folder", work.resolve("out").toString()));
    try (Store store = Stores.open(s);
        PublishService p = new PublishService(s, store)) {
      assertEquals(FORMULAS.size(), p.publish("run-9", actions().iterator()).delivered());
    }
    Path dir = work.resolve("out/run-9");
    Map<String, String[]> sent = rows(dir.resolve("VIP_CALL.csv"));
    Map<String, String[]> held = rows(dir.resolve("VIP_CALL" + ActionFiles.CONTROL_GROUP_SUFFIX));
    assertEquals(3, sent.size());
    assertEquals(3, held.size());
    for (int i = 0; i < FORMULAS.size(); i++) {
      String[] row = (i % 2 == 1 ? held : sent).get("'" + FORMULAS.get(i));
      assertTrue(row != null, "customer " + FORMULAS.get(i).strip() + " appears with a leading quote");
      assertEquals("-3.5", row[7], "our own number stays a number");
      assertEquals("'-lapsed; =cmd", row[8], "reasons are text and neutralised");
      assertEquals("'+1,234.00 spend trend (raises the prediction)", row[13], "the model's reasons too");
      assertEquals("'=cmd|' /C calc'!A0", row[14]);
      assertEquals("", row[15], "a reason the model did not give is an empty cell");
      if (i % 2 == 0) {
        assertEquals("'=1+1", row[5], "the offer is text and neutralised");
      }
    }
    String raw = Files.readString(dir.resolve("VIP_CALL.csv"), StandardCharsets.UTF_8);
    assertTrue(raw.contains("\nd-0,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "quoted, quotes doubled: " + raw);
    for (String line : raw.split("\n")) {
      for (String cell : line.split(",")) {
        assertTrue(cell.isEmpty() || "=+@\t\r".indexOf(cell.charAt(0)) < 0, "no cell starts a formula: " + line);
      }
    }
    List<String> jsonl = Files.readAllLines(dir.resolve("actions.jsonl"), StandardCharsets.UTF_8);
    assertEquals(FORMULAS.get(0), Json.MAPPER.readTree(jsonl.getFirst()).get("customer_id").asText(),
        "JSON Lines keeps the value exact");
  }
}
