package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.valuetier.testing.TestStores;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.GroupCommit;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit of online decisions on a real H2 store: concurrent callers share commits, each gets its own decision
 * back once it is stored, a failed write fails every caller of its batch, and nobody waits forever.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GroupCommitTest {
  private static final long WAIT_SECONDS = 60;

  private Store store;
  private DecisionLog decisions;
  private ExecutorService pool;

  @BeforeEach
  void start() {
    store = TestStores.h2();
    decisions = new DecisionLog(store, 10);
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    store.close();
  }

  private DecisionService service() {
    RuleSetHistory h = new RuleSetHistory(store);
    h.save(TestRuleSets.shipped().files(), "test");
    h.activate(TestRuleSets.shipped().version(), "INITIAL", "test");
    RuleSetRegistry registry = new RuleSetRegistry(TestRuleSets.home(), h, TestRuleSets.params());
    registry.start();
    return new DecisionService(registry, decisions, TestRuleSets.params(), ControlGroups.none(), 64);
  }

  /** Contacts (vouchers) and no-contacts alike, each customer once. */
  private static DecisionInput input(int thread, int i) {
    String id = "t" + thread + "-" + i;
    return i % 2 == 0 ? Inputs.goldVoucher(id, 1500) : Inputs.silver(id);
  }

  @Test
  void concurrentCallersEachGetTheirOwnDecisionStoredExactlyOnceInFewerCommitsThanDecisions() throws Exception {
    DecisionService service = service();
    int threads = 8;
    int each = 200;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Decision>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        go.await();
        List<Decision> mine = new ArrayList<>(each);
        for (int i = 0; i < each; i++) {
          DecisionInput in = input(thread, i);
          Decision d = service.decide(in);
          assertEquals(in.customerId(), d.customerId(), "a caller gets its own decision back");
          mine.add(d);
        }
        return mine;
      }));
    }
    go.countDown();
    Map<Long, String> answered = new HashMap<>();
    long contacts = 0;
    for (Future<List<Decision>> f : futures) {
      for (Decision d : f.get(WAIT_SECONDS, TimeUnit.SECONDS)) {
        assertEquals(null, answered.put(d.decisionId(), d.customerId()), "decision ids are unique");
        contacts += d.isContact() && !d.controlGroup() ? 1 : 0;
      }
    }
    int total = threads * each;
    assertEquals(total, answered.size());
    assertEquals(answered, stored(), "every answered decision is stored once, under its own customer");
    assertEquals(total, store.queryLong("SELECT COUNT(*) FROM decisions"));
    assertTrue(contacts > 0);
    assertEquals(contacts, store.queryLong("SELECT COUNT(*) FROM contact_log WHERE delivered_at IS NOT NULL"));
    long commits = service.commits();
    assertTrue(commits > 0 && commits < total,
        "concurrent decisions share commits: " + commits + " commits for " + total + " decisions");
  }

  @Test
  void aLoneCallerWritesAtOnceOnItsOwnThreadAlone() {
    List<Thread> writers = new CopyOnWriteArrayList<>();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    long run = decisions.startRun("ONLINE", "test");
    GroupCommit<Decision> gc = new GroupCommit<>(batch -> {
      writers.add(Thread.currentThread());
      sizes.add(batch.size());
      decisions.writeAnswered(batch, run);
    }, 64);
    for (int i = 0; i < 3; i++) {
      gc.commit(decision(run, i));
      assertEquals(i + 1, store.queryLong("SELECT COUNT(*) FROM decisions"), "stored when commit returns");
    }
    assertEquals(List.of(1, 1, 1), sizes, "nothing waits for company");
    assertTrue(writers.stream().allMatch(w -> w == Thread.currentThread()), "no hand-over to another thread");
    assertEquals(3, gc.batches());
    assertEquals(3, gc.items());
  }

  @Test
  void aFailedWriteFailsEveryCallerOfItsBatchWithTheSameExceptionAndTheNextCallsWork() throws Exception {
    long run = decisions.startRun("ONLINE", "test");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    GroupCommit<Decision> gc = new GroupCommit<>(batch -> {
      if (calls.getAndIncrement() == 0) {
        entered.countDown();
        await(release);
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new StoreException("cannot write " + batch.size() + " decisions: the database went away");
      }
      decisions.writeAnswered(batch, run);
    }, 64);

    Future<?> first = pool.submit(() -> gc.commit(decision(run, 0)));
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the first caller writes at once");
    List<Future<?>> followers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Decision d = decision(run, i);
      followers.add(pool.submit(() -> gc.commit(d)));
    }
    waitUntil(() -> gc.waiting() == 5, "five callers queue behind the write in progress");
    release.countDown();

    Throwable alone = failure(first);
    Throwable shared = failure(followers.get(0));
    for (Future<?> f : followers) {
      assertSame(shared, failure(f), "every caller of a failed batch gets its exception");
    }
    assertInstanceOf(StoreException.class, alone);
    assertInstanceOf(StoreException.class, shared);
    assertNotSame(alone, shared, "two batches, two failures");
    assertEquals(2, gc.batches());
    assertEquals(5, gc.largestBatch());
    assertEquals(0, store.queryLong("SELECT COUNT(*) FROM decisions"));

    pool.submit(() -> gc.commit(decision(run, 6))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(1, store.queryLong("SELECT COUNT(*) FROM decisions"), "the next call after a failure is written");
  }

  @Test
  void aBatchHoldsAtMostMaxBatchDecisionsAndTheQueueDrainsCompletely() throws Exception {
    long run = decisions.startRun("ONLINE", "test");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    GroupCommit<Decision> gc = new GroupCommit<>(batch -> {
      if (sizes.isEmpty()) {
        entered.countDown();
        await(release);
      }
      sizes.add(batch.size());
      decisions.writeAnswered(batch, run);
    }, 3);
    List<Future<?>> all = new ArrayList<>();
    all.add(pool.submit(() -> gc.commit(decision(run, 0))));
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
    for (int i = 1; i <= 7; i++) {
      Decision d = decision(run, i);
      all.add(pool.submit(() -> gc.commit(d)));
    }
    waitUntil(() -> gc.waiting() == 7, "seven callers queue");
    release.countDown();
    for (Future<?> f : all) {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(8, sizes.stream().mapToInt(Integer::intValue).sum());
    assertTrue(sizes.stream().allMatch(s -> s <= 3), sizes::toString);
    assertEquals(List.of(1, 3, 3, 1), sizes, "the queue is taken in batches of at most 3, in order");
    assertEquals(8, store.queryLong("SELECT COUNT(*) FROM decisions"));
  }

  @Test
  void whenTheStoreFailsConcurrentRequestsFailWithTheStoreErrorAndTheServiceRecovers() throws Exception {
    DecisionService service = service();
    service.decide(input(9, 0));
    store.execute("ALTER TABLE decision_rows RENAME TO decision_rows_away");
    List<Future<Decision>> failing = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      DecisionInput in = input(t, 0);
      failing.add(pool.submit((Callable<Decision>) () -> service.decide(in)));
    }
    for (Future<Decision> f : failing) {
      assertInstanceOf(StoreException.class, failure(f), "a request whose commit failed is not answered");
    }
    store.execute("ALTER TABLE decision_rows_away RENAME TO decision_rows");
    Decision d = pool.submit(() -> service.decide(input(9, 1))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(Map.of(firstId(), "t9-0", d.decisionId(), "t9-1"), stored(), "only the answered ones are stored");
  }

  private long firstId() {
    return store.queryLong("SELECT MIN(decision_id) FROM decisions");
  }

  private Map<Long, String> stored() throws SQLException {
    Map<Long, String> out = new HashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT decision_id, customer_id FROM decisions");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        assertEquals(null, out.put(rs.getLong(1), rs.getString(2)), "stored once");
      }
    }
    return out;
  }

  private static Decision decision(long run, int i) {
    return new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params())
        .decideOne(input(0, i), new BudgetLedger(null), DecisionLog.firstDecisionId(run) + i + 1, Instant.now());
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    return fail("the call should have failed");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the write");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out: " + what);
      }
      Thread.sleep(5);
    }
  }
}
