package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.valuetier.config.Settings;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's replacement of a table commits slice by slice: a run that fails midway leaves every row of either the earlier
 * run or its own (never a customer without a row, never a half-written slice), and the next run replaces them all and
 * drops the rows it did not write; on H2 and MariaDB, on the picks table.
 */
class RunReplacementTest {
  @TempDir Path work;

  private static final RunReplacement PICKS =
      new RunReplacement("customer_picks", "customer_id,pick_count,picks,run_id", "customer_id", 7);

  private static List<String> customers(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("C%03d", i)).toList();
  }

  /** Writes {@code ids} in slices of 10 as run {@code runId}; the binder fails on customer {@code failAt}. */
  private static void run(Store store, String runId, List<String> ids, String failAt) throws SQLException {
    store.inTransaction(c -> {
      RunReplacement.Run run = PICKS.begin(c, store.dialect(), runId);
      for (int from = 0; from < ids.size(); from += 10) {
        run.insert(ids.subList(from, Math.min(ids.size(), from + 10)), (ps, i, id) -> {
          if (id.equals(failAt)) {
            throw new SQLException("the binder fails on " + id);
          }
          ps.setString(i, id);
          ps.setInt(i + 1, 1);
          ps.setString(i + 2, "[]");
          ps.setString(i + 3, runId);
        });
      }
      run.finish();
      return null;
    });
  }

  private static Map<String, String> runByCustomer(Store store) throws SQLException {
    Map<String, String> m = new TreeMap<>();
    try (Connection c = store.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT customer_id, run_id FROM customer_picks")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getString(2));
      }
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "mariadb"})
  void aRunThatFailsMidwayLeavesEveryRowOfOneRunOrTheOther(String kind) throws Exception {
    String url = kind.equals("h2") ? TestStores.h2Url(work) : TestStores.createMysqlDatabase("vt_replace");
    Settings s = TestStores.settings(url, work, Map.of());
    try (Store store = Stores.open(s)) {
      run(store, "run-1", customers(50), null);
      assertEquals(50, runByCustomer(store).size());

      // the second run scores 45 customers (five have left) and fails within its fourth slice
      List<String> second = customers(45);
      assertThrows(SQLException.class, () -> run(store, "run-2", second, "C033"));
      Map<String, String> after = runByCustomer(store);
      assertEquals(50, after.size(), "no customer lost a row: " + after);
      for (String id : customers(50)) {
        // the three slices before the failing one were committed; the failing slice was rolled back
        assertEquals(id.compareTo("C030") < 0 ? "run-2" : "run-1", after.get(id), id);
      }

      run(store, "run-3", second, null);
      Map<String, String> last = runByCustomer(store);
      assertEquals(45, last.size(), "the customers no longer written are gone");
      assertEquals(List.of("run-3"), last.values().stream().distinct().toList());
    } finally {
      if (!kind.equals("h2")) {
        TestStores.dropMysql(url);
      }
    }
  }
}
