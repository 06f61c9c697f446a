package io.valuetier.model.picks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.TransactionFileLog;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.TestData;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The recommender's holdout evaluation on the two-year Online Retail log (Online Retail II before 2010-12-01, then
 * Online Retail), split in time like the value models' evaluation: trained on the purchases up to 2011-06-08, judged on
 * what each customer bought from 2011-06-09 to 2011-12-09, five picks per customer, the project's settings. Training
 * and picking are deterministic (no random draw; ties go to the lower product index), so the figures are golden.
 */
@Tag("slow")
class OnlineRetailPicksTest {
  private static PicksEvaluation evaluation;

  @BeforeAll
  static void evaluate() {
    PicksEvaluation.Split split = new PicksEvaluation.Split(LocalDate.of(2011, 6, 8), LocalDate.of(2011, 12, 9));
    TransactionFileLog.read(List.of(
            new TransactionFileLog.Source(TestData.sample("online_retail_II_2009-2010.csv.gz"),
                TransactionFormat.ONLINE_RETAIL_II),
            new TransactionFileLog.Source(TestData.sample("online_retail.csv.gz"), TransactionFormat.ONLINE_RETAIL)),
        TestData.rules(), split);
    evaluation = split.evaluate(PicksSettings.from(TestData.settings()), 5);
  }

  @Test
  void hitRateAtFiveIsClearlyAboveThePopularityBaseline() {
    assertEquals(0.4675, evaluation.recommender().hitRate(), 0.002);
    assertEquals(0.3620, evaluation.popularity().hitRate(), 0.002);
    assertTrue(evaluation.recommender().hitRate() - evaluation.popularity().hitRate() > 0.08,
        () -> evaluation.asMap().toString());
  }

  @Test
  void recallAndCatalogueCoverageAreAboveThePopularityBaselineToo() {
    assertEquals(0.0348, evaluation.recommender().recall(), 0.001);
    assertEquals(0.0159, evaluation.popularity().recall(), 0.001);
    assertEquals(0.305, evaluation.recommender().coverage(), 0.005);
    assertEquals(0.006, evaluation.popularity().coverage(), 0.001);
  }

  @Test
  void theHoldoutCountsEveryBuyerAndTheColdStartsAmongThem() {
    assertEquals(3459, evaluation.customers());
    assertEquals(910, evaluation.coldStart());
    assertEquals(4282, evaluation.catalogue());
  }
}
