package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.TestData;
import io.valuetier.model.TrainingService;
import io.valuetier.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The holdout evaluation is bounded by a seeded customer sample whose size it records, and kept for reuse. */
class HoldoutEvaluationTest {

  @Test
  void aCustomerSampleIsSeededAndKeepsWholeCustomers() {
    CustomerLog log = TestData.cdnowSample();
    CustomerLog a = log.sample(500, 7);
    CustomerLog b = log.sample(500, 7);
    assertEquals(500, a.size());
    assertEquals(a.fingerprint(), b.fingerprint(), "same seed, same sample");
    assertFalse(a.fingerprint().equals(log.sample(500, 8).fingerprint()), "another seed, another sample");
    Set<String> ids = new HashSet<>();
    int records = 0;
    for (int c = 0; c < a.size(); c++) {
      assertTrue(ids.add(a.id(c)), "no customer twice");
      int i = log.indexOf(a.id(c));
      assertEquals(log.to(i) - log.from(i), a.to(c) - a.from(c), "all of " + a.id(c) + "'s days");
      records += a.to(c) - a.from(c);
    }
    assertEquals(records, a.records());
    assertSame(log, log.sample(log.size(), 7), "no more customers than the bound: the log itself");
  }

  @Test
  void theEvaluationRunsOnAtMostTheBoundAndSaysHowManyCustomersItUsed(@TempDir Path dir) {
    ModelSettings settings = ModelSettings.from(TestData.settings(Map.of(
        "valuetier.model.algorithms", "gbt,btyd", "valuetier.model.gbt.trees", "20",
        "valuetier.model.horizon-days", "90")));
    TrainingService training = new TrainingService(settings, new ModelRegistry(dir, TestData.home()));
    CustomerLog log = TestData.cdnowSample();
    HoldoutEvaluation e = HoldoutEvaluation.forLog(log, training, 30, 1_000);
    assertNotNull(e);
    assertEquals(1_000, e.customers());
    assertEquals(log.size(), e.customersBeforeSampling());
    assertFalse(e.reused());
    assertTrue(e.models().size() == 2 && e.models().stream().allMatch(m -> Double.isFinite(m.spearman())),
        e.models().toString());

    HoldoutEvaluation again = HoldoutEvaluation.forLog(log, training, 30, 1_000);
    assertTrue(again.reused(), "the same data, settings and bound: kept, not computed again");
    assertEquals(e.models(), again.models());
    assertEquals(1_000, again.customers());
    assertNull(HoldoutEvaluation.ofChampion(training, 1_000), "no champion trained in this registry");
  }
}
