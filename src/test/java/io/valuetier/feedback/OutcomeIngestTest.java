package io.valuetier.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.ingest.IngestService;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes come back through the real route (ingest-outcomes-file) against decisions made by the real engine: good
 * lines are stored one per decision, bad ones rejected with their line and reason, nothing lost, and the report adds up.
 */
class OutcomeIngestTest {
  @TempDir Path work;
  private Store store;
  private IngestService ingest;

  @BeforeEach
  void open() throws InterruptedException {
    Settings s = TestStores.settings(TestStores.h2Url(work), work, Map.of());
    store = Stores.open(s);
    ingest = new IngestService(s, store);
    SyntheticPopulation.write(store, 400, 11);
    new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params()), new DecisionLog(store, 100),
        new BatchDecider.Options(2, 100, true, Duration.ofDays(90))).run();
  }

  @AfterEach
  void close() {
    ingest.close();
    store.close();
  }

  private List<String[]> decisions() throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Connection c = store.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT decision_id, customer_id FROM decisions ORDER BY decision_id")) {
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return out;
  }

  @Test
  void goodLinesAreStoredAndBadOnesRejectedWithTheirLineAndReason() throws Exception {
    List<String[]> d = decisions();
    assertEquals(400, d.size());
    List<String> lines = new ArrayList<>();
    lines.add("decision_id,customer_id,responded,purchased,revenue,window_days,observed_at");
    for (int i = 0; i < 300; i++) {
      boolean bought = i % 3 == 0;
      lines.add(d.get(i)[0] + "," + d.get(i)[1] + "," + (i % 2 == 0 ? "yes" : "no") + "," + bought + ","
          + (bought ? "12.50" : "0") + ",30,2026-01-15");
    }
    lines.add("999999999999,C1,yes,true,10,30,2026-01-15"); // line 302: no such decision
    lines.add(d.get(300)[0] + ",SOMEONE-ELSE,yes,true,10,30,2026-01-15"); // 303: another customer's decision
    lines.add(d.get(301)[0] + "," + d.get(301)[1] + ",yes,true,ten,30,2026-01-15"); // 304: bad revenue
    lines.add(",C2,yes,true,10,30,2026-01-15"); // 305: no decision id
    lines.add(d.get(0)[0] + "," + d.get(0)[1] + ",no,false,0,30,2026-01-15"); // 306: second line for a decision
    lines.add(d.get(302)[0] + "," + d.get(302)[1] + ",maybe,true,10,30,2026-01-15"); // 307: not a yes/no
    lines.add(d.get(303)[0] + "," + d.get(303)[1] + ",yes,true,10,30"); // 308: wrong column count
    Path file = work.resolve("outcomes.csv");
    Files.write(file, lines);

    IngestReport r = ingest.ingestOutcomes(file);
    assertEquals(307, r.read());
    assertEquals(300, r.accepted());
    assertEquals(r.read(), r.accepted() + r.rejected());
    assertEquals(
        Map.of("UNKNOWN_DECISION", 1L, "CUSTOMER_MISMATCH", 1L, "BAD_NUMBER", 1L, "MISSING_DECISION_ID", 1L,
            "DUPLICATE", 1L, "BAD_FLAG", 1L, "WRONG_COLUMN_COUNT", 1L),
        r.rejectedByReason());
    assertEquals(300, store.queryLong("SELECT COUNT(*) FROM outcomes"));
    assertEquals(100, store.queryLong("SELECT COUNT(*) FROM outcomes WHERE purchased"));
    assertEquals(7, store.queryLong("SELECT COUNT(*) FROM rejected_records WHERE reason_code IN ('UNKNOWN_DECISION',"
        + "'CUSTOMER_MISMATCH','BAD_NUMBER','MISSING_DECISION_ID','DUPLICATE','BAD_FLAG','WRONG_COLUMN_COUNT')"));
    assertEquals("CUSTOMER_MISMATCH",
        store.queryString("SELECT reason_code FROM rejected_records WHERE line_no = 303"));

    // the report covers exactly the decisions with an outcome
    List<OutcomeReport.Row> rows = OutcomeReport.compute(store, null);
    assertEquals(300, rows.stream().mapToLong(x -> x.treated() + x.control()).sum());
    double revenue = rows.stream().mapToDouble(x -> x.revenuePerCustomer() * x.treated()
        + x.controlRevenuePerCustomer() * x.control()).sum();
    assertEquals(100 * 12.5, revenue, 1e-6);
    assertTrue(OutcomeReport.text(rows).contains("purchase uplift"));
  }

  @Test
  void aLaterFileCorrectsAnEarlierOutcomeAndRepeatingAFileChangesNothing() throws Exception {
    List<String[]> d = decisions();
    Path first = work.resolve("first.csv");
    Files.write(first, List.of("decision_id,responded,revenue", d.get(0)[0] + ",no,0", d.get(1)[0] + ",yes,5"));
    assertEquals(2, ingest.ingestOutcomes(first).accepted());
    assertEquals(2, ingest.ingestOutcomes(first).accepted());
    assertEquals(2, store.queryLong("SELECT COUNT(*) FROM outcomes"));
    assertEquals(5, store.queryLong("SELECT SUM(revenue) FROM outcomes"));

    Path later = work.resolve("later.csv");
    Files.write(later, List.of("decision_id,responded,revenue", d.get(0)[0] + ",yes,40.00"));
    ingest.ingestOutcomes(later);
    assertEquals(2, store.queryLong("SELECT COUNT(*) FROM outcomes"));
    assertEquals(1, store.queryLong("SELECT COUNT(*) FROM outcomes WHERE decision_id = ? AND purchased AND revenue = 40",
        Long.parseLong(d.get(0)[0])));
  }

  @Test
  void aHeaderWithoutARequiredColumnIsRefusedWithTheFileAndWhatIsMissing() throws Exception {
    Path file = work.resolve("no-responded.csv");
    Files.write(file, List.of("decision_id,revenue", "1,10"));
    IngestException e = assertThrows(IngestException.class, () -> ingest.ingestOutcomes(file));
    assertTrue(e.getMessage().contains("no-responded.csv line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("no responded column"), e.getMessage());
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM outcomes"));

    Files.write(file, List.of("decision_id,responded,colour", "1,yes,red"));
    IngestException unknown = assertThrows(IngestException.class, () -> ingest.ingestOutcomes(file));
    assertTrue(unknown.getMessage().contains("unknown column 'colour' in the outcomes header"), unknown.getMessage());
  }
}
