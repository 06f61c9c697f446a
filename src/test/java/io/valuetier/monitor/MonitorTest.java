package io.valuetier.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.features.CustomerLog;
import io.valuetier.model.BtydFeatures;
import io.valuetier.model.FeatureProfile;
import io.valuetier.model.ScoringService;
import io.valuetier.model.TrainingService;
import io.valuetier.bench.SyntheticShop;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.records.Finding;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring on a small seeded synthetic shop with a real champion (Smile GBT and BTYD) and a real H2 store: drift
 * against the champion's training population, calibration once the horizon has passed, and tier-mix shifts between
 * two real batch decision runs.
 */
class MonitorTest {
  static final LocalDate START = LocalDate.of(2020, 1, 1);
  static final LocalDate CUTOFF = START.plusDays(599);

  @TempDir static Path dir;
  static Settings settings;
  static MonitorSettings thresholds;
  static Store store;
  static CustomerLog shop;
  static CustomerLog trainingPeriod;
  static ModelRegistry registry;
  static String champion;

  static Settings settings(Path work, String db) {
    return TestStores.settings(
        db,
        work,
        Map.of(
            "valuetier.model.registry-dir", work.resolve("models").toString(),
            "valuetier.model.algorithms", "gbt,btyd",
            "valuetier.model.horizon-days", "120",
            "valuetier.model.gbt.trees", "40"));
  }

  @BeforeAll
  static void trainChampion() {
    settings = settings(dir, TestStores.h2Url(dir));
    thresholds = MonitorSettings.from(settings);
    store = Stores.open(settings);
    shop = SyntheticShop.generate(2_500, 11, START, 900, 700);
    trainingPeriod = shop.upTo((int) CUTOFF.toEpochDay());
    TrainingService training = new TrainingService(settings);
    champion = training.train(trainingPeriod, "synthetic shop", null, false).champion();
    registry = training.registry();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static FeatureProfile profile() {
    ModelRegistry.Champion c = registry.champion().orElseThrow();
    return FeatureProfile.load(registry.folder(c.algorithm(), c.version())).orElseThrow();
  }

  @Test
  void aDriftAlreadyMeasuredForTheChampionAtTheSameDayIsReusedAndAnyOtherIsNot() {
    Monitor monitor = new Monitor(thresholds, registry, store);
    Drift measured = monitor.run(shop).drift();
    assertEquals(champion, measured.modelId());
    Drift known = new Drift(champion, measured.trainingCutoff(), measured.trainingCustomers(), measured.cutoff(),
        measured.customers(), Map.of("recency_days", 0.01));
    assertSame(known, monitor.run(shop, known).drift(), "the same champion at the same day: reused");
    Drift otherDay = new Drift(champion, measured.trainingCutoff(), measured.trainingCustomers(),
        measured.cutoff().minusDays(1), measured.customers(), Map.of("recency_days", 0.01));
    assertEquals(measured.psi(), monitor.run(shop, otherDay).drift().psi(), "another day: measured again");
    Drift otherModel = new Drift("btyd-v9", measured.trainingCutoff(), measured.trainingCustomers(),
        measured.cutoff(), measured.customers(), Map.of("recency_days", 0.01));
    assertEquals(measured.psi(), monitor.run(shop, otherModel).drift().psi(), "another model: measured again");
  }

  @Test
  void theChampionKeepsTheDecilesOfEveryModelInput() {
    FeatureProfile p = profile();
    assertEquals(CUTOFF.toString(), p.cutoff());
    List<String> names = p.features().stream().map(FeatureProfile.Bins::name).toList();
    assertEquals(BtydFeatures.inputNames(), names, "every model input, in input order");
    for (FeatureProfile.Bins b : p.features()) {
      assertEquals(b.edges().length + 1, b.shares().length);
      assertEquals(1, Arrays.stream(b.shares()).sum(), 1e-9, b.name());
      assertTrue(b.edges().length <= 10, b.name());
    }
  }

  @Test
  void psiIsNearZeroForTheSamePopulationAndSmallForAnotherDrawOfTheSameShop() {
    ModelRegistry.Loaded m = registry.loadChampion();
    Drift same = Drift.of(champion, m.model(), profile(), trainingPeriod, CUTOFF);
    assertEquals(profile().customers(), same.customers());
    assertTrue(same.max() < 1e-12, () -> "same population: " + same.psi());
    CustomerLog twin = SyntheticShop.generate(2_500, 12, START, 600, 700);
    Drift other = Drift.of(champion, m.model(), profile(), twin, CUTOFF);
    assertTrue(other.max() > 0, "a different draw differs a little");
    assertTrue(other.max() < thresholds.psiNotice(), () -> "same process, another draw: " + other.psi());
    assertTrue(other.findings(thresholds).isEmpty(), () -> other.findings(thresholds).toString());
  }

  @Test
  void aShiftedPopulationRaisesDriftWarnings() {
    // An acquisition campaign: every customer is new, arrived in the last 60 days before the same cutoff.
    CustomerLog young = SyntheticShop.generate(2_500, 13, CUTOFF.minusDays(59), 60, 60);
    assertEquals(CUTOFF, young.lastDate());
    Monitor.Report r = new Monitor(thresholds, registry, store).run(young);
    assertNotNull(r.drift());
    double tenure = r.drift().psi().get("tenure_days");
    assertTrue(tenure > thresholds.psiWarn(), () -> "tenure PSI " + tenure);
    Finding w = r.warnings().stream().filter(f -> f.subject().equals("tenure_days")).findFirst().orElseThrow();
    assertEquals("drift", w.area());
    assertEquals(tenure, w.value());
    assertTrue(w.message().contains("valuetier.monitor.psi.warn"), w.message());
    assertFalse(r.modelWarnings().isEmpty());
  }

  @Test
  void calibrationOncTheHorizonHasPassedFlagsMisScaledAndMisRankedPredictions() {
    ScoringService.Result scored = new ScoringService(settings, store).scoreAll(shop, CUTOFF);
    assertEquals(120, scored.horizonDays());
    assertTrue(CUTOFF.plusDays(120).isBefore(shop.lastDate()), "the horizon has passed in the store");
    Monitor monitor = new Monitor(thresholds, registry, store);
    Calibration c = monitor.run(shop).calibration();
    assertNotNull(c);
    assertEquals(CUTOFF, c.cutoff());
    assertEquals(scored.withHistory(), c.customers());
    assertEquals(scored.predictedTotal(), c.predictedTotal(), 0.01 * scored.customersScored() + 1e-6);
    assertTrue(Double.isFinite(c.totalRatio()) && c.totalRatio() > 0, () -> "ratio " + c.totalRatio());
    assertTrue(c.brier() > 0 && c.brier() < 0.25, () -> "Brier " + c.brier() + " must beat a coin flip");
    assertTrue(c.normalizedGini() > 0.3 && c.spearman() > 0.2, () -> c.normalizedGini() + " " + c.spearman());
    assertTrue(Double.isFinite(c.validationGini()), "the card's validation Gini is read");
    assertEquals(10, c.deciles().size());
    assertTrue(c.deciles().get(0)[2] > c.deciles().get(9)[2], "the top decile spends more than the bottom one");
    boolean outside = Math.abs(c.totalRatio() - 1) > thresholds.totalBand();
    assertEquals(outside, c.findings(thresholds).stream().anyMatch(f -> f.subject().equals("total_ratio")));

    // three times too high: the ratio triples and leaves the band
    assertTrue(3 * c.totalRatio() > 1 + thresholds.totalBand(), "precondition of the mis-scaled case");
    store.execute("UPDATE score_history SET predicted_spend = predicted_spend * 3");
    Monitor.Report scaled = monitor.run(shop);
    assertEquals(3 * c.totalRatio(), scaled.calibration().totalRatio(), 1e-9 * c.totalRatio());
    assertEquals(c.normalizedGini(), scaled.calibration().normalizedGini(), 1e-12, "scaling keeps the ranking");
    Finding w = scaled.warnings().stream().filter(f -> f.subject().equals("total_ratio")).findFirst().orElseThrow();
    assertTrue(w.message().contains("valuetier.monitor.calibration.total-band"), w.message());

    // ranked upside down: the Gini collapses far below the card's validation figure
    store.execute("UPDATE score_history SET predicted_spend = 1000000 - predicted_spend");
    Monitor.Report reversed = monitor.run(shop);
    assertTrue(reversed.calibration().normalizedGini() < 0, () -> "Gini " + reversed.calibration().normalizedGini());
    assertTrue(reversed.warnings().stream().anyMatch(f -> f.subject().equals("normalized_gini")
        && f.message().contains("valuetier.monitor.calibration.max-gini-drop")), reversed.warnings()::toString);
  }

  @Test
  void tierMixShiftBetweenTwoDecisionRunsIsDetected(@TempDir Path work) throws InterruptedException {
    Settings s = settings(work, TestStores.h2Url(work));
    try (Store db = Stores.open(s)) {
      SyntheticPopulation.write(db, 2_000, 7);
      BatchDecider.Report first = decide(db);
      BatchDecider.Report same = decide(db);
      DecisionShift unchanged = DecisionShift.latest(db).orElseThrow();
      assertEquals(first.runId(), unchanged.previousRun());
      assertEquals(same.runId(), unchanged.currentRun());
      assertEquals(first.perTier(), unchanged.previousTiers());
      assertTrue(unchanged.tierPsi() < 1e-12, "the same scores give the same tiers");
      assertTrue(unchanged.findings(thresholds).stream().noneMatch(f -> f.subject().equals("tier_mix")));

      // the population loses value: percentiles fall to 30% of what they were
      db.execute("UPDATE scores SET value_percentile = value_percentile * 0.3");
      BatchDecider.Report shifted = decide(db);
      DecisionShift d = DecisionShift.latest(db).orElseThrow();
      assertEquals(shifted.runId(), d.currentRun());
      assertEquals(shifted.perTier(), d.currentTiers());
      assertTrue(d.tierPsi() > thresholds.tierPsiWarn(), () -> "tier PSI " + d.tierPsi());
      List<Finding> f = d.findings(thresholds);
      assertTrue(f.stream().anyMatch(x -> x.warning() && x.subject().equals("tier_mix")), f::toString);
      DecisionShift.HitRate moved = d.hits().stream().max(Comparator.comparingDouble(h -> Math.abs(h.points())))
          .orElseThrow();
      assertTrue(Math.abs(moved.points()) > thresholds.hitRatePoints(), moved::toString);
      assertTrue(f.stream().anyMatch(x -> x.subject().equals(moved.key())), f::toString);
      Monitor.Report r = new Monitor(thresholds, TrainingService.registry(s), db).run(shop);
      assertTrue(r.warnings().stream().anyMatch(x -> x.area().equals("decisions")));
      assertTrue(r.modelWarnings().stream().noneMatch(x -> x.area().equals("decisions")));
    }
  }

  @Test
  void scoreHistoryKeepsTheRunsWithinItsRetention(@TempDir Path work) {
    Map<String, String> m = championSettings("valuetier.monitor.score-history-days", "150");
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    try (Store db = Stores.open(s)) {
      ScoringService scoring = new ScoringService(s, db);
      int oldest = scoring.scoreAll(shop, CUTOFF.minusDays(200)).withHistory();
      int middle = scoring.scoreAll(shop, CUTOFF.minusDays(100)).withHistory();
      assertEquals(oldest + middle, db.queryLong("SELECT COUNT(*) FROM score_history"), "100 days apart: both kept");
      int newest = scoring.scoreAll(shop, CUTOFF).withHistory();
      assertEquals(middle + newest, db.queryLong("SELECT COUNT(*) FROM score_history"), "200 days back: dropped");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM score_history WHERE cutoff_date < ?",
          Date.valueOf(CUTOFF.minusDays(150))));
      assertEquals(List.of(CUTOFF, CUTOFF.minusDays(100)),
          Calibration.runs(db).stream().map(Calibration.Run::cutoff).toList(), "the dropped run is no longer listed");
      assertEquals(0, db.queryLong("SELECT history_customers FROM scoring_runs WHERE cutoff_date = ?",
          Date.valueOf(CUTOFF.minusDays(200))));
      m.put("valuetier.monitor.score-history-days", "100");
      Settings tooShort = TestStores.settings(TestStores.h2Url(work), work, m);
      var e = Assertions.assertThrows(ConfigException.class,
          () -> new ScoringService(tooShort, db).scoreAll(shop, CUTOFF));
      assertTrue(e.getMessage().contains("valuetier.monitor.score-history-days") && e.getMessage().contains("120"),
          e.getMessage());
    }
  }

  @Test
  void aLargeRunKeepsASeededPanelOfItsCustomersAndCalibratesOnIt(@TempDir Path work) {
    Map<String, String> m = championSettings("valuetier.monitor.calibration.panel", "400");
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    try (Store db = Stores.open(s)) {
      ScoringService scoring = new ScoringService(s, db);
      int earlierScored = scoring.scoreAll(shop, CUTOFF.minusDays(60)).withHistory();
      ScoringService.Result scored = scoring.scoreAll(shop, CUTOFF);
      assertTrue(earlierScored > 1_000 && scored.withHistory() > earlierScored, "precondition: a shop beyond 400");
      List<Calibration.Run> runs = Calibration.runs(db);
      assertEquals(2, runs.size());
      for (Calibration.Run run : runs) {
        long kept = db.queryLong("SELECT COUNT(*) FROM score_history WHERE run_id = ?", run.runId());
        assertEquals(kept, run.customers(), "scoring_runs says how many the history kept");
        assertTrue(kept > 300 && kept < 500, () -> "about 400 kept, not " + kept);
      }
      // the same customers at both cutoffs: the later run keeps a smaller share, a subset of the earlier panel's
      Set<String> later = ids(db, runs.get(0).runId());
      Set<String> earlier = ids(db, runs.get(1).runId());
      int earlierDay = (int) CUTOFF.minusDays(60).toEpochDay();
      List<String> boughtBefore = later.stream().filter(id -> boughtBy(shop.indexOf(id), earlierDay)).toList();
      assertTrue(boughtBefore.size() > 200, "precondition: most of the panel had bought by the earlier cutoff");
      assertTrue(earlier.containsAll(boughtBefore), "the later panel's earlier buyers are in the earlier panel");
      Calibration c = new Monitor(thresholds, registry, db).run(shop).calibration();
      assertNotNull(c);
      assertEquals(CUTOFF, c.cutoff());
      assertEquals(runs.get(0).customers(), c.customers(), "calibrated on the panel");
      assertTrue(c.normalizedGini() > 0.3 && c.spearman() > 0.2, () -> c.normalizedGini() + " " + c.spearman());
    }
  }

  /** The settings the champion was trained with, and one more. */
  private static Map<String, String> championSettings(String key, String value) {
    return new HashMap<>(Map.of(
        "valuetier.model.registry-dir", dir.resolve("models").toString(),
        "valuetier.model.algorithms", "gbt,btyd",
        "valuetier.model.horizon-days", "120",
        "valuetier.model.gbt.trees", "40",
        key, value));
  }

  private static Set<String> ids(Store db, String runId) {
    Set<String> out = new HashSet<>();
    db.forEachRow("the panel", "SELECT customer_id FROM score_history WHERE run_id = ?",
        rs -> out.add(rs.getString(1)), runId);
    return out;
  }

  private static boolean boughtBy(int customer, int day) {
    for (int r = shop.from(customer); r < shop.to(customer); r++) {
      if (shop.day(r) <= day && shop.gross(r) > 0) {
        return true;
      }
    }
    return false;
  }

  private static BatchDecider.Report decide(Store db) throws InterruptedException {
    return new BatchDecider(new DecisionEngine(TestRuleSets.shipped(), TestRuleSets.params()),
        new DecisionLog(db, 100), new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run();
  }
}
