package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scoring run over an earlier one replaces each customer's row in place and drops the customers it did not score,
 * on H2 ({@code MERGE}) and on MariaDB ({@code ON DUPLICATE KEY UPDATE}): what the table holds is exactly the last run.
 */
class ScoreReplacementTest {
  private static final ModelRegistry.Entry MODEL = new ModelRegistry.Entry("gbt-v1", "gbt", 1, Path.of("models"));
  private static final LocalDate CUTOFF = LocalDate.of(2011, 12, 9);

  @ParameterizedTest
  @ValueSource(strings = {"h2", "mariadb"})
  void aSecondRunReplacesTheRowsItScoresAndDropsTheOthers(String kind) throws Exception {
    String url = kind.equals("h2") ? null : TestStores.createMysqlDatabase("vt_scores");
    try (Store store = url == null ? TestStores.h2() : TestStores.openMysql(url)) {
      ScoreWriter writer = new ScoreWriter(store);
      writer.write(List.of(scored("a", 10), scored("b", 20), scored("c", 30)), new double[] {0, 50, 100}, MODEL,
          CUTOFF, 184, 3650, 0, "run-1");
      writer.write(List.of(scored("d", 41), scored("b", 21), scored("c", 31)), new double[] {100, 0, 50}, MODEL,
          CUTOFF.plusDays(1), 184, 3650, 0, "run-2");

      assertEquals(Map.of(
          "b", "21.00 0.0 2011-12-10 Has spent 21.00 in total after returns (raises the forecast)",
          "c", "31.00 50.0 2011-12-10 Has spent 31.00 in total after returns (raises the forecast)",
          "d", "41.00 100.0 2011-12-10 Has spent 41.00 in total after returns (raises the forecast)"),
          rows(store), "the second run's scores, and only those");
      assertEquals(1, store.queryLong("SELECT COUNT(DISTINCT run_id) FROM scores"));
      assertEquals(6, store.queryLong("SELECT COUNT(*) FROM score_history"), "both runs are kept in the history");
    } finally {
      if (url != null) {
        TestStores.dropMysql(url);
      }
    }
  }

  private static ScoredCustomer scored(String id, double spend) {
    return new ScoredCustomer(id, spend, 0.5, false, true, 100, 0,
        List.of(new Reason("net_spend_total", spend, 0.3, 184)), spend * 0.5, spend * 2);
  }

  private static Map<String, String> rows(Store store) throws SQLException {
    Map<String, String> m = new TreeMap<>();
    try (Connection c = store.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT customer_id, predicted_spend, value_percentile, cutoff_date, reason_1 FROM scores")) {
      while (rs.next()) {
        m.put(rs.getString(1),
            rs.getBigDecimal(2) + " " + rs.getDouble(3) + " " + rs.getDate(4) + " " + rs.getString(5));
      }
    }
    return m;
  }
}
