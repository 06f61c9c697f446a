package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.valuetier.config.Settings;
import io.valuetier.ingest.OutcomeIngest;
import io.valuetier.ingest.RecordIngest;
import io.valuetier.records.IngestException;
import io.valuetier.records.IngestReport;
import io.valuetier.store.IngestStore;
import io.valuetier.store.OutcomeStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/ingest-outcomes-file.camel.yaml} with the real ingest bean on an H2 store holding 20 decisions (rows
 * written here, for customers c1..c20): each slice is checked against the store and stored, one row per decision
 * ({@code mock:stored} after the store step, {@code mock:done} with the report); a later outcome of a decision
 * replaces the earlier one; a file without the outcome columns is refused without retries or dead letter.
 */
class IngestOutcomesFileRouteTest {
  @TempDir Path work;
  private Store store;
  private RouteHost host;

  @BeforeEach
  void start() throws Exception {
    Settings s = RouteKit.settings(work, Map.of());
    store = Stores.open(s);
    try (Connection c = store.connection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO decision_runs (run_id, kind, rule_set, started_at) VALUES (1, 'batch', 'rs-1',"
          + " TIMESTAMP '2026-11-01 10:00:00')");
      st.execute("INSERT INTO decision_outcomes (outcome_id, rule_set, rule_set_role) VALUES (1, 'rs-1', 'champion')");
      for (int i = 1; i <= 20; i++) {
        st.execute("INSERT INTO decision_rows (decision_id, run_id,"
            + " customer_id, decided_at, outcome_id, control_group) VALUES (" + i + ", 1, 'c" + i + "',"
            + " TIMESTAMP '2026-11-01 10:00:00', 1, FALSE)");
      }
    }
    OutcomeIngest ingest = new OutcomeIngest(new IngestStore(store), new OutcomeStore(store), 10, 20, 1 << 20);
    host = RouteKit.start(s, Map.of("outcomeIngest", ingest), Set.of("ingest-outcomes-file"), false, ctx -> {
      RouteKit.watchDeadLetters(ctx);
      RouteKit.advise(ctx, "ingest-outcomes-file", a -> {
        a.weaveByToString("Bean[ref:outcomeIngest method:store]").after().to("mock:stored");
        a.weaveAddLast().to("mock:done");
      });
    });
  }

  @AfterEach
  void stop() {
    host.close();
    store.close();
  }

  private Path file(String name, List<String> lines) throws Exception {
    Path f = work.resolve(name);
    List<String> all = new ArrayList<>();
    all.add("decision_id,customer_id,responded,purchased,revenue,window_days,observed_at");
    all.addAll(lines);
    Files.write(f, all);
    return f;
  }

  private Exchange send(Path file) {
    return host.template().send("direct:ingest-outcomes",
        e -> e.getMessage().setHeader(RecordIngest.HEADER_FILE, file.toString()));
  }

  @Test
  void outcomesOfKnownDecisionsAreStoredAndTheOthersRejectedWithTheirReason() throws Exception {
    MockEndpoint stored = RouteKit.mock(host, "stored");
    MockEndpoint done = RouteKit.mock(host, "done");
    stored.expectedMessageCount(3);
    done.expectedMessageCount(1);
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 19; i++) {
      lines.add(i + ",c" + i + "," + (i % 2 == 0 ? "yes" : "no") + ",false,0,30,2026-11-15");
    }
    lines.add("999,c1,yes,false,0,30,2026-11-15");
    lines.add("20,c3,yes,false,0,30,2026-11-15");

    send(file("outcomes.csv", lines));

    MockEndpoint.assertIsSatisfied(stored, done);
    IngestReport r = done.getReceivedExchanges().getFirst().getMessage().getBody(IngestReport.class);
    assertEquals("COMPLETED", r.status());
    assertEquals(21, r.read());
    assertEquals(19, r.accepted());
    assertEquals(Map.of("UNKNOWN_DECISION", 1L, "CUSTOMER_MISMATCH", 1L), r.rejectedByReason());
    assertEquals(19, store.queryLong("SELECT COUNT(*) FROM outcomes"));
    assertEquals(9, store.queryLong("SELECT COUNT(*) FROM outcomes WHERE responded = TRUE"));

    done.reset();
    done.expectedMessageCount(1);
    send(file("later.csv", List.of("1,c1,yes,true,42.50,60,2026-11-30")));
    done.assertIsSatisfied();
    assertEquals(19, store.queryLong("SELECT COUNT(*) FROM outcomes"), "still one row per decision");
    assertEquals(1, store.queryLong("SELECT COUNT(*) FROM outcomes WHERE decision_id = 1 AND purchased = TRUE"
        + " AND revenue = 42.50"), "the later outcome replaced the earlier one");
  }

  @Test
  void aFileWithoutTheOutcomeColumnsIsRefusedAtOnce() throws Exception {
    MockEndpoint stored = RouteKit.mock(host, "stored");
    MockEndpoint dead = RouteKit.mock(host, "dead-letter");
    stored.expectedMessageCount(0);
    dead.expectedMessageCount(0);
    Path wrong = work.resolve("orders.csv");
    Files.write(wrong, List.of("order_id,quantity", "A1,2"));

    Exchange ex = send(wrong);

    MockEndpoint.assertIsSatisfied(stored, dead);
    assertInstanceOf(IngestException.class, ex.getException());
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM outcomes"));
  }
}
