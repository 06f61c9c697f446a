package io.valuetier.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.ScoringService;
import io.valuetier.model.TrainingService;
import io.valuetier.bench.SyntheticShop;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score_history, calibration and decision shifts on the MariaDB server (a database of its own, dropped after). */
class MonitorOnMariaDbTest {
  @TempDir Path dir;

  @Test
  void calibrationAndDecisionShiftsOnMariaDb() throws InterruptedException {
    String url = TestStores.createMysqlDatabase("vt_monitor");
    try {
      Settings s = MonitorTest.settings(dir, url);
      MonitorSettings t = MonitorSettings.from(s);
      CustomerLog shop = SyntheticShop.generate(1_500, 31, MonitorTest.START, 900, 700);
      LocalDate cutoff = MonitorTest.CUTOFF;
      TrainingService training = new TrainingService(s);
      training.train(shop.upTo((int) cutoff.toEpochDay()), "synthetic shop", null, false);
      try (Store store = Stores.open(s)) {
        ScoringService.Result scored = new ScoringService(s, store).scoreAll(shop, cutoff);
        // scoring the same cutoff again replaces that run in the history instead of adding a copy
        new ScoringService(s, store).scoreAll(shop, cutoff);
        assertEquals(scored.withHistory(), store.queryLong("SELECT COUNT(*) FROM score_history"));
        Monitor.Report r = new Monitor(t, training.registry(), store).run(shop);
        Calibration c = r.calibration();
        assertNotNull(c);
        assertEquals(scored.withHistory(), c.customers());
        assertTrue(Double.isFinite(c.totalRatio()) && c.brier() > 0 && c.brier() < 0.25, c::toString);

        SyntheticPopulation.write(store, 1_000, 5);
        decide(store);
        store.execute("UPDATE scores SET value_percentile = value_percentile * 0.3");
        decide(store);
        DecisionShift d = new Monitor(t, training.registry(), store).run(shop).decisions();
        assertNotNull(d);
        assertTrue(d.tierPsi() > t.tierPsiWarn(), () -> "tier PSI " + d.tierPsi());
      }
    } finally {
      TestStores.dropMysql(url);
    }
  }

  private static void decide(Store db) throws InterruptedException {
    new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params()),
        new DecisionLog(db, 100), new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();
  }
}
