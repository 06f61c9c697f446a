package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.features.CustomerLog;
import io.valuetier.features.StoreHistory;
import io.valuetier.store.IdRange;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed scoring without the broker, on H2 with the CDNOW sample and a customer known from facts only: the
 * buckets of a run scored one by one ({@link BucketScorer#score}, in any order), the round finished, and each bucket
 * ranked give every customer the {@code scores} row that {@link ScoringService} gives in one process, the value
 * percentile to the last bit; a scored bucket is not scored again.
 */
class BucketScorerTest {
  private static final int BUCKETS = 5;
  private static final String COLUMNS = "customer_id, model_id, model_version, cutoff_date, horizon_days,"
      + " predicted_spend, probability_active, value_percentile, cold_start, tenure_days, returns_ratio, reason_1,"
      + " reason_2, reason_3, reason_codes, predicted_spend_low, predicted_spend_high";

  @TempDir Path dir;

  @Test
  void bucketsScoredAndRankedGiveTheRowsOfOneProcess() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db")
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    Settings settings = ScoringServiceTest.settingsFor(url, dir);
    // the committed champion (gbt with its reasons): nothing to train
    TestStores.copyTree(TestStores.home().resolve("src/test/resources/compat/registry"), dir.resolve("models"));
    try (Store store = Stores.open(settings)) {
      ScoringServiceTest.ingest(settings, store, dir);
      ScoringService.Result one = new ScoringService(settings, store).scoreAll(null);
      assertFalse(one.trained());
      Map<String, List<Object>> expected = rows(store);
      long history = store.queryLong("SELECT COUNT(*) FROM score_history");

      CustomerLog log = StoreHistory.read(store);
      BucketScorer.Round round = BucketScorer.start(settings, store, log, 41);
      assertEquals(one.cutoff(), round.cutoff());
      List<IdRange> ranges = IdRange.split(store, "customers", BUCKETS);
      BucketScorer worker = new BucketScorer(settings, store);
      int customers = 0;
      for (int b = BUCKETS - 1; b >= 0; b--) { // the order buckets are taken in does not matter
        BucketScorer.Done d = worker.score(round, b, ranges.get(b), "w" + b % 2);
        assertFalse(d.already());
        assertTrue(d.customers() > 0, d.toString());
        customers += d.customers();
      }
      assertEquals(one.customersScored(), customers);
      assertTrue(new BucketScorer(settings, store).score(round, 2, ranges.get(2), "w9").already(),
          "a scored bucket is not scored again");
      assertEquals(customers, store.queryLong("SELECT COUNT(*) FROM scores WHERE value_percentile < 0"),
          "no percentile before the run is ranked");

      ScoringService.Result dist = BucketScorer.finish(store, round, log.fingerprint(), System.nanoTime());
      assertEquals(one.customersScored(), dist.customersScored());
      assertEquals(one.withHistory(), dist.withHistory());
      assertEquals(one.coldStart(), dist.coldStart());
      assertEquals(one.withoutPurchase(), dist.withoutPurchase());
      assertEquals(one.modelId(), dist.modelId());
      assertEquals(one.horizonDays(), dist.horizonDays());
      assertEquals(one.predictedTotal(), dist.predictedTotal(), 1e-6 * one.predictedTotal());
      for (int b = 0; b < BUCKETS; b++) {
        new BucketScorer(settings, store).rank(41, b); // each worker ranks among the whole run
      }
      assertEquals(expected, rows(store), "the same row for every customer");
      // the history of the replaced run at the same cutoff is replaced, not added to
      assertEquals(history, store.queryLong("SELECT COUNT(*) FROM score_history"));
      assertEquals(history, store.queryLong("SELECT COUNT(*) FROM score_history WHERE run_id = ?",
          round.scoringRun()));
      assertEquals(customers, store.queryLong("SELECT customers_scored FROM scoring_runs WHERE run_id = ?",
          round.scoringRun()));

      // a run stopped between its rounds: what it left unranked is ranked among the stored spends
      store.execute("UPDATE scores SET value_percentile = -1 WHERE customer_id < '00100'");
      int unranked = BucketScorer.rankStored(store);
      assertTrue(unranked > 0);
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM scores WHERE value_percentile < 0"));
      assertEquals(0, BucketScorer.rankStored(store));
    }
  }

  @Test
  void ranksAreThoseOfTheWholeSortToTheLastBit() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      int n = 1 + random.nextInt(400);
      double[] spends = new double[n];
      for (int i = 0; i < n; i++) {
        int kind = random.nextInt(5);
        spends[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : kind == 2 ? random.nextInt(20) : random.nextDouble() * 500;
      }
      double[] expected = ScoringService.percentiles(spends);
      SpendRanks ranks = SpendRanks.of(spends);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(ranks.percentile(spends[i])),
            "customer " + i + " of " + n + ", spend " + spends[i]);
      }
    }
  }

  @Test
  void aBucketsIdsAndSpendsComeBackAsWritten() {
    List<String> ids = List.of("12346", "é-ü", "", "x".repeat(64));
    assertEquals(ids, BucketScorer.decodeIds(BucketScorer.encodeIds(ids)));
    double[] spends = {0, -0.0, 1e-300, 123.456, Double.MAX_VALUE};
    double[] back = BucketScorer.decodeSpends(BucketScorer.encodeSpends(spends));
    for (int i = 0; i < spends.length; i++) {
      assertEquals(Double.doubleToLongBits(spends[i]), Double.doubleToLongBits(back[i]));
    }
  }

  private static Map<String, List<Object>> rows(Store store) {
    Map<String, List<Object>> out = new TreeMap<>();
    store.forEachRow("scores", "SELECT " + COLUMNS + " FROM scores", rs -> {
      List<Object> row = new ArrayList<>();
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
      out.put(rs.getString(1), row);
    });
    return out;
  }
}
