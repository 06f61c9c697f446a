package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.IdRange;
import io.valuetier.store.Store;
import io.valuetier.testing.Population;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The decisions of the distributed batch without the broker, on H2 (the V138 tables in MySQL mode): the buckets of a
 * run decided one by one ({@link BucketDecider}, in any order) and finished by the budget stage
 * ({@link BatchBudgetStage}) decide every customer as a one-process {@link BatchDecider} run on the same population
 * does, the offer budget included; a bucket found stored is not decided again, and a second copy of a stored bucket
 * (a worker that held it while another stored it) is refused whole.
 */
class BucketDeciderTest {
  private static final int POPULATION = 3000;
  private static final int BUCKETS = 7;
  private static final String DECIDED = "SELECT customer_id, value_tier, action_code, channel, offer, offer_cost,"
      + " control_group, guardrails FROM decisions WHERE run_id = ?";

  @Test
  void bucketsAndTheBudgetStageDecideAsOneProcessDoes() throws Exception {
    GuardrailParameters params = TestRuleSets.params(new BigDecimal("1000"));
    try (Store one = TestStores.h2(); Store dist = TestStores.h2()) {
      Population.write(one, POPULATION, 5);
      Population.write(dist, POPULATION, 5);
      DecisionEngine engine = new DecisionEngine(TestRuleSets.shipped(), params);
      BatchDecider.Report expected = new BatchDecider(engine, new DecisionLog(one, 100),
          new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();

      DecisionLog log = new DecisionLog(dist, 100);
      long t0 = System.nanoTime();
      long run = log.startRun("BATCH", engine.ruleSetKey());
      BucketDecider buckets = new BucketDecider(engine, log, 100);
      List<IdRange> ranges = IdRange.split(dist, BUCKETS);
      int customers = 0;
      for (int b = BUCKETS - 1; b >= 0; b--) { // the order buckets are taken in does not matter
        BucketDecider.Done d = buckets.decide(run, b, BUCKETS, ranges.get(b), "w" + b % 2);
        assertTrue(!d.already() && d.customers() > 0, d.toString());
        customers += d.customers();
      }
      assertEquals(POPULATION, customers);
      assertTrue(buckets.decide(run, 3, BUCKETS, ranges.get(3), "w9").already(),
          "a stored bucket is not decided again");
      long held = dist.queryLong("SELECT COUNT(*) FROM batch_costly WHERE run_id = ?", run);
      assertTrue(held > 0, "costly offers wait for the budget stage");
      assertEquals(POPULATION - held, dist.queryLong("SELECT COUNT(*) FROM decision_rows WHERE run_id = ?", run));
      BatchDecider.Report actual = new BatchBudgetStage(engine, log, 100).finish(run, t0, 0);
      // the finished run keeps no customer ids in the batch's tables, and who decided each bucket
      assertEquals(0, dist.queryLong("SELECT COUNT(*) FROM batch_costly"));
      assertEquals(BUCKETS, dist.queryLong("SELECT COUNT(*) FROM batch_buckets WHERE counts = '{}'"));

      assertEquals(decisions(one, expected.runId()), decisions(dist, run));
      assertEquals(POPULATION, actual.decisions());
      assertEquals(expected.perTier(), actual.perTier());
      assertEquals(expected.perAction(), actual.perAction());
      assertEquals(expected.guardrailInterventions(), actual.guardrailInterventions());
      assertEquals(expected.contacts(), actual.contacts());
      assertEquals(expected.offersGranted(), actual.offersGranted());
      assertEquals(expected.offersRefused(), actual.offersRefused());
      assertTrue(actual.offersGranted() > 0 && actual.offersRefused() > 0, "the budget ran out: " + actual);
      assertEquals(0, expected.budgetSpent().compareTo(actual.budgetSpent()));
      // each customer's decision id is in its bucket's range of the run's ids
      dist.forEachRow("ids", "SELECT customer_id, decision_id FROM decision_rows WHERE run_id = ?", rs ->
          assertEquals(bucketOf(rs.getString(1), ranges),
              (int) ((rs.getLong(2) - DecisionLog.firstDecisionId(run)) >> 24), rs.getString(1)), run);
    }
  }

  @Test
  void aSecondCopyOfAStoredBucketIsRefusedWhole() throws Exception {
    try (Store store = TestStores.h2()) {
      Population.write(store, 500, 9);
      DecisionEngine engine = new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params(new BigDecimal("100")));
      DecisionLog log = new DecisionLog(store, 100);
      long run = log.startRun("BATCH", engine.ruleSetKey());
      BucketDecider buckets = new BucketDecider(engine, log, 100);
      IdRange range = IdRange.split(store, 4).get(2);
      BucketDecider.Done first = buckets.decide(run, 2, 4, range, "w1");
      long rows = store.queryLong("SELECT COUNT(*) FROM decision_rows");
      long held = store.queryLong("SELECT COUNT(*) FROM batch_costly");
      // as a worker that took the bucket before the first one's row was committed: it does not see it done
      store.execute("DELETE FROM batch_buckets WHERE run_id = ? AND bucket = 2", run);
      assertThrows(RuntimeException.class, () -> buckets.decide(run, 2, 4, range, "w2"));
      assertEquals(rows, store.queryLong("SELECT COUNT(*) FROM decision_rows"), "no decision twice");
      assertEquals(held, store.queryLong("SELECT COUNT(*) FROM batch_costly"));
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM batch_buckets"), "nothing of the second copy stored");
      assertTrue(first.customers() > 0);
    }
  }

  /** The bucket whose range holds {@code id} (H2 orders these ids as Java does). */
  private static int bucketOf(String id, List<IdRange> ranges) {
    for (int b = 0; b < ranges.size(); b++) {
      IdRange r = ranges.get(b);
      if ((r.from() == null || id.compareTo(r.from()) >= 0) && (r.to() == null || id.compareTo(r.to()) < 0)) {
        return b;
      }
    }
    throw new AssertionError(id + " is in no range of " + ranges);
  }

  @Test
  void theRangesSplitTheScoredCustomersIntoContiguousPartsOfAboutTheSameSize() throws Exception {
    try (Store store = TestStores.h2()) {
      Population.write(store, 1000, 3);
      List<IdRange> ranges = IdRange.split(store, 16);
      assertEquals(16, ranges.size());
      assertEquals(null, ranges.getFirst().from());
      assertEquals(null, ranges.getLast().to());
      for (int b = 1; b < 16; b++) {
        assertEquals(ranges.get(b - 1).to(), ranges.get(b).from(), "contiguous at " + b);
      }
      int[] seen = new int[16];
      store.forEachRow("ids", "SELECT customer_id FROM scores", rs -> seen[bucketOf(rs.getString(1), ranges)]++);
      for (int n : seen) {
        assertTrue(n == 62 || n == 63, "about 1,000 / 16 customers each: " + java.util.Arrays.toString(seen));
      }
      // fewer customers than buckets: the first ones get one each, the others are empty ranges
      try (Store few = TestStores.h2()) {
        Population.write(few, 3, 3);
        List<IdRange> tiny = IdRange.split(few, 8);
        int[] count = new int[8];
        few.forEachRow("ids", "SELECT customer_id FROM scores", rs -> count[bucketOf(rs.getString(1), tiny)]++);
        assertEquals(3, java.util.Arrays.stream(count).sum());
        assertTrue(java.util.Arrays.stream(count).allMatch(c -> c <= 1), java.util.Arrays.toString(count));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> BucketDecider.checkBuckets(BucketDecider.MAX_BUCKETS + 1));
  }

  private static Map<String, String> decisions(Store store, long runId) {
    Map<String, String> out = new TreeMap<>();
    store.forEachRow("decisions", DECIDED, rs -> out.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3)
        + "|" + rs.getString(4) + "|" + rs.getString(5) + "|" + rs.getBigDecimal(6) + "|" + rs.getBoolean(7) + "|"
        + rs.getString(8)), runId);
    return out;
  }
}
