package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offer budget shared by several deciders (the Kafka workers of a group) on the real MariaDB: two deciders with
 * stores of their own, four threads each, all deciding costly offers at once from one {@link SharedBudget}, never grant
 * more than the budget between them, grant exactly what fits, and a decision whose store transaction is rolled back
 * gives its draw back.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedBudgetOnMariaDbTest {
  private static final int THREADS_PER_DECIDER = 4;
  private static final int CUSTOMERS_PER_THREAD = 25;

  @Test
  void twoDecidersNeverGrantMoreThanTheSharedBudget() throws Exception {
    String url = TestStores.createMysqlDatabase("vt_budget");
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_DECIDER);
    try (Store a = TestStores.openMysql(url);
        Store b = TestStores.openMysql(url)) {
      DecisionService first = service(a, true);
      DecisionService second = service(b, false);
      BigDecimal cost = first.decideUnrecorded(Inputs.goldVoucher("probe", 1500)).offerCost();
      assertTrue(cost.signum() > 0, "the probe customer is proposed a costly voucher");
      // room for 37 and a half offers among 200 customers who all ask for one
      BigDecimal total = cost.multiply(BigDecimal.valueOf(37.5));
      SharedBudget budget = SharedBudget.open(a, "test-period", total);
      SharedBudget.open(b, "test-period", total.add(BigDecimal.TEN)); // the second opener keeps the first's row

      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Decision>>> running = new ArrayList<>();
      for (int t = 0; t < 2 * THREADS_PER_DECIDER; t++) {
        DecisionService s = t % 2 == 0 ? first : second;
        int thread = t;
        running.add(pool.submit(() -> {
          go.await();
          List<Decision> out = new ArrayList<>();
          for (int i = 0; i < CUSTOMERS_PER_THREAD; i++) {
            out.add(s.decideAndRecord(Inputs.goldVoucher("t" + thread + "-" + i, 1500), budget, (c, d) -> { }));
          }
          return out;
        }));
      }
      go.countDown();
      int granted = 0;
      int refused = 0;
      for (Future<List<Decision>> f : running) {
        for (Decision d : f.get(2, TimeUnit.MINUTES)) {
          if (d.offerCost().signum() > 0) {
            granted++;
          } else {
            refused++;
            assertTrue(d.interventions().stream().anyMatch(i -> i.code().equals("BUDGET_CAP")), d.toString());
          }
        }
      }
      assertEquals(37, granted, "as many offers as the budget pays, no more, no fewer");
      assertEquals(2 * THREADS_PER_DECIDER * CUSTOMERS_PER_THREAD - 37, refused);
      BigDecimal stored = new BigDecimal(a.queryString("SELECT SUM(offer_cost) FROM decisions"));
      assertEquals(0, stored.compareTo(cost.multiply(BigDecimal.valueOf(37))), "the stored decisions' offers");
      assertEquals(0, budget.remaining(a).compareTo(total.subtract(stored)), "drawn exactly what was granted");
      assertEquals(2, a.queryLong("SELECT COUNT(DISTINCT run_id) FROM decisions"), "two deciders");

      // a decision whose store transaction fails (as when another worker already recorded the event) draws nothing
      SharedBudget fresh = SharedBudget.open(a, "test-rollback", cost.multiply(BigDecimal.TEN));
      long before = a.queryLong("SELECT COUNT(*) FROM decisions");
      assertThrows(RuntimeException.class, () -> first.decideAndRecord(Inputs.goldVoucher("late", 1500), fresh,
          (c, d) -> {
            throw new SQLException("duplicate event");
          }));
      assertEquals(0, fresh.remaining(a).compareTo(cost.multiply(BigDecimal.TEN)));
      assertEquals(before, a.queryLong("SELECT COUNT(*) FROM decisions"));
    } finally {
      pool.shutdownNow();
      TestStores.dropMysql(url);
    }
  }

  private static DecisionService service(Store store, boolean activate) {
    RuleSetHistory h = new RuleSetHistory(store);
    if (activate) {
      h.save(TestRuleSets.shipped().files(), "test");
      h.activate(TestRuleSets.shipped().version(), "INITIAL", "test");
    }
    RuleSetRegistry registry = new RuleSetRegistry(TestRuleSets.home(), h, TestRuleSets.params());
    registry.start();
    return new DecisionService(registry, new DecisionLog(store, 10), TestRuleSets.params(), ControlGroups.none(), 64);
  }
}
