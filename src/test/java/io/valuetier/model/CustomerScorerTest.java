package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.ingest.TransactionFiles;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.records.Transaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerScorerTest {
  static final LocalDate CUTOFF = TestData.SAMPLE_CUTOFF;
  static CustomerScorer scorer;
  static Map<String, List<Transaction>> lines = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() {
    ValueModel gbt = TestData.sampleTraining().candidate("gbt").model();
    scorer = new CustomerScorer(gbt, ModelSettings.from(TestData.settings()));
    TransactionFiles.read(
        TestData.sample("CDNOW_sample.txt"), TransactionFormat.CDNOW, TestData.rules(),
        t -> lines.computeIfAbsent(t.customerId(), k -> new ArrayList<>()).add(t));
  }

  @Test
  void oneCustomerScoredFromItsOwnLinesGetsItsBatchScore() {
    CustomerLog log = TestData.cdnowSample();
    FeatureTable table = FeatureTable.at(log, (int) CUTOFF.toEpochDay(), new FeatureBuilder(scorer.model().featureSpec()));
    for (int i = 0; i < table.size(); i += 97) {
      String id = table.id(i);
      ScoredCustomer alone = scorer.score(id, null, lines.get(id), CUTOFF);
      Prediction batch = scorer.model().predict(table.row(i));
      assertEquals(batch.spend(), alone.spend(), 1e-9 * Math.max(1, batch.spend()), id);
      assertEquals(batch.probability(), alone.probability(), 1e-12, id);
      assertEquals(3, alone.reasons().size(), id);
    }
  }

  @Test
  void oneCustomerIsScoredWithReasonsInWellUnderAMillisecond() {
    List<String> ids = new ArrayList<>(lines.keySet()).subList(0, 500);
    for (int warm = 0; warm < 20; warm++) {
      for (String id : ids) {
        scorer.score(id, null, lines.get(id), CUTOFF);
      }
    }
    long t0 = System.nanoTime();
    int n = 0;
    for (int rep = 0; rep < 4; rep++) {
      for (String id : ids) {
        scorer.score(id, null, lines.get(id), CUTOFF);
        n++;
      }
    }
    double micros = (System.nanoTime() - t0) / 1e3 / n;
    assertTrue(micros < 1000, "one customer took " + micros + " microseconds");
  }

  @Test
  void aCustomerWithOnePurchaseDayIsAColdStart() {
    String id =
        lines.entrySet().stream()
            .filter(e -> e.getValue().stream().map(t -> t.timestamp().toLocalDate()).distinct().count() == 1)
            .filter(e -> !e.getValue().getFirst().timestamp().toLocalDate().isAfter(CUTOFF))
            .findFirst()
            .orElseThrow()
            .getKey();
    assertTrue(scorer.score(id, null, lines.get(id), CUTOFF).coldStart());
  }

  @Test
  void aCustomerWithoutPurchaseBeforeTheCutoffGetsNoPrediction() {
    String id = lines.keySet().iterator().next();
    ScoredCustomer s = scorer.score(id, null, lines.get(id), LocalDate.of(1996, 12, 31));
    assertFalse(s.purchased());
    assertEquals(0, s.spend());
  }
}
