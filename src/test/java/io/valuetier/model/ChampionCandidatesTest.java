package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Baselines are trained, evaluated and reported, and never become the champion. */
class ChampionCandidatesTest {

  @Test
  void aBaselineIsTrainedAndReportedButTheChampionComesFromTheCandidates() {
    Trainer trainer = new Trainer(ModelSettings.from(TestData.settings(Map.of(
        "valuetier.model.algorithms", "gbt,mlp,btyd",
        "valuetier.model.champion-candidates", "btyd"))));
    Trainer.Result r = trainer.train(TestData.cdnowSample(), TestData.SAMPLE_CUTOFF);
    assertEquals("btyd", r.champion());
    assertEquals(List.of("gbt", "mlp", "btyd"), r.candidates().stream().map(Trainer.Candidate::algorithm).toList());
    // on the shipped candidates gbt wins this window, so the choice above is the setting's doing
    assertEquals("gbt", TestData.sampleTraining().champion());
  }

  @Test
  void theShippedSettingsMakeTheMlpABaseline() {
    ModelSettings s = ModelSettings.from(TestData.settings());
    assertTrue(s.algorithms().contains("mlp"));
    assertTrue(!s.championCandidates().contains("mlp") && s.championCandidates().contains("gbt"), s.toString());
  }

  @Test
  void withNoCandidateTrainedEveryAlgorithmMayWinWithANotice() {
    List<String> notices = new ArrayList<>();
    assertEquals(Set.of("mlp"), Trainer.eligible(List.of("mlp"), List.of("gbt"), notices));
    assertTrue(notices.getFirst().contains("valuetier.model.champion-candidates"), notices.toString());
  }

  @Test
  void anUnknownCandidateIsRefusedWithItsSetting() {
    ConfigException e = assertThrows(ConfigException.class, () -> ModelSettings.from(
        TestData.settings(Map.of("valuetier.model.champion-candidates", "gbt,xgboost"))));
    assertTrue(e.getMessage().contains("valuetier.model.champion-candidates") && e.getMessage().contains("xgboost"),
        e.getMessage());
  }
}
