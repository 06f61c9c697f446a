package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job's scoring path (the daily case): with a champion the retraining policy accepts, {@code run} ingests,
 * scores and decides with it and trains nothing; {@code --retrain} trains; {@code --score-only} without a champion is
 * an error that says what to do.
 */
class MainJobScoringPathTest {
  @TempDir Path work;

  private Settings settings(String db) {
    return TestStores.settings(TestStores.h2Url(work.resolve(db)), work, Map.of(
        "valuetier.model.algorithms", "gbt,btyd",
        "valuetier.model.gbt.trees", "20",
        "valuetier.run.min-calibration-days", "36500", // no holdout evaluation: not what this test is about
        "valuetier.run.retrain-after-days", "7",
        "valuetier.publish.folder", work.resolve("out/actions").toString(),
        "valuetier.run.report", work.resolve("out/report.html").toString(),
        "valuetier.model.registry-dir", work.resolve("models").toString()));
  }

  private long cards() throws Exception {
    try (Stream<Path> s = Files.find(work.resolve("models"), 5, (p, a) -> p.getFileName().toString().equals("card.json"))) {
      return s.count();
    }
  }

  /** The scores table in one line: count, total predicted spend, and a sum weighting each customer's percentile. */
  private static String scores(Store store) {
    return store.queryString("SELECT CONCAT(COUNT(*), '/', SUM(predicted_spend), '/', "
        + "ROUND(SUM(value_percentile * CAST(customer_id AS DOUBLE)), 3)) FROM scores");
  }

  @Test
  void aSecondRunWithAChampionScoresWithItTrainsNothingAndDecidesAsTheFirst() throws Exception {
    Settings s = settings("a");
    MainJob.Options o = new MainJob.Options(
        MainJobContract.slice(20), TransactionFormat.ONLINE_RETAIL, null, false);
    try (Store store = Stores.open(s)) {
      MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(o);
      assertEquals("train", first.modelStep().path());
      assertTrue(first.modelStep().reason().contains("no champion"), first.modelStep().reason());
      long models = cards();
      String firstScores = scores(store);

      MainJob.Summary second = new MainJob(s, store, MainJob.silent()).run(o);
      assertEquals("score", second.modelStep().path(), second.modelStep().reason());
      assertEquals(first.champion(), second.champion());
      assertFalse(second.stageSeconds().containsKey("train"), "nothing trained: " + second.stageSeconds());
      assertFalse(second.stageSeconds().containsKey("evaluate"));
      assertEquals(models, cards(), "no model registered");
      assertEquals(firstScores, scores(store), "the champion scores the same data the same way");
      assertEquals(first.decisions().perTier(), second.decisions().perTier());
      assertEquals(first.decisions().perAction(), second.decisions().perAction());
      assertNotEquals(first.decisions().runId(), second.decisions().runId(), "a new decision run");
      assertEquals(second.customersScored(), second.publish().delivered());
      assertEquals("score", second.asMap().get("model_path"));
      assertTrue(second.lines().stream().anyMatch(l -> l.startsWith("model step: score path, because champion")),
          () -> String.join("\n", second.lines()));

      // The next day's file: ingested, scored with the same champion, the reason gives the data's age.
      Path day = work.resolve("next-day.csv");
      Files.writeString(day, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
          + "999001,22138,BAKING SET 9 PIECE RETROSPOT,3,2011-12-12 10:00:00,4.95,12680,France\n");
      MainJob.Summary next =
          new MainJob(s, store, MainJob.silent()).run(new MainJob.Options(day, TransactionFormat.ONLINE_RETAIL, null, false));
      assertEquals(1, next.ingest().accepted(), "the new day was ingested");
      assertEquals("score", next.modelStep().path(), next.modelStep().reason());
      assertTrue(next.modelStep().reason().contains("3 days before the newest data"), next.modelStep().reason());
      assertEquals(first.champion(), next.champion());
      assertEquals(models, cards());
      assertEquals(first.customersScored(), next.customersScored());

      // --retrain trains whatever the policy says.
      MainJob.Summary forced =
          new MainJob(s, store, MainJob.silent()).run(new MainJob.Options(day, TransactionFormat.ONLINE_RETAIL, null, true));
      assertEquals("train", forced.modelStep().path());
      assertTrue(forced.modelStep().reason().contains("--retrain"), forced.modelStep().reason());
      assertTrue(cards() > models, "new models registered");
      assertNotEquals(first.champion(), forced.champion());
    }
  }

  @Test
  void scoreOnlyWithoutAChampionIsAnErrorSayingToTrainFirst() throws Exception {
    Settings s = settings("b");
    try (Store store = Stores.open(s)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MainJob(s, store, MainJob.silent())
          .run(new MainJob.Options(MainJobContract.slice(20), TransactionFormat.ONLINE_RETAIL, null, false, true)));
      assertTrue(e.getMessage().contains("--score-only needs a champion") && e.getMessage().contains("without --score-only"),
          e.getMessage());
    }
  }

  @Test
  void retrainAndScoreOnlyTogetherAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MainJob.Options(work, TransactionFormat.ONLINE_RETAIL, null, true, true));
    assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
  }
}
