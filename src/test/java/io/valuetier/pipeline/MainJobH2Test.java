package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The main job on the embedded H2 default. */
class MainJobH2Test extends MainJobContract {
  @Override
  String dbUrl() {
    return TestStores.h2Url(work);
  }

  /**
   * The stored order lines are read in one pass per run, whatever the number of stages that need them: the read stage
   * hands them to the product picks as well (at 1M customers a second pass cost 25-37 s). Counted with H2's own
   * statistics of the statements it ran: reads of the whole table are the statements on {@code transactions} without
   * a condition or a limit (a {@code COUNT(*)}, which H2 answers from the table's row count, is not one).
   */
  @Test
  void oneRunReadsTheWholeTransactionsTableOnce() throws Exception {
    Settings s = quick(Map.of());
    try (Store store = Stores.open(s)) {
      store.execute("SET QUERY_STATISTICS_MAX_ENTRIES 10000");
      store.execute("SET QUERY_STATISTICS TRUE");
      MainJob.Summary run = new MainJob(s, store, MainJob.silent()).run(options());
      assertTrue(run.customersScored() > 500, "scored " + run.customersScored());
      List<String> wholeReads = new ArrayList<>();
      long executions = 0;
      try (Connection c = store.connection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "SELECT sql_statement, execution_count FROM information_schema.query_statistics")) {
        while (rs.next()) {
          String sql = rs.getString(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
          if (sql.startsWith("select ") && sql.matches(".* from transactions( |$).*") && !sql.contains(" where ")
              && !sql.contains(" limit ") && !sql.startsWith("select count(*) from")) {
            wholeReads.add(sql + " x" + rs.getLong(2));
            executions += rs.getLong(2);
          }
        }
      }
      assertEquals(1, executions, "whole reads of the transactions: " + wholeReads);
    }
  }
}
