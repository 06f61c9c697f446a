package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.model.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol: nothing after the calibration end reaches a model, and retraining on unchanged data is skipped. */
class ProtocolTest {

  @Test
  void modelsTrainedWithOrWithoutTheHoldoutInTheLogPredictTheSame() {
    CustomerLog full = TestData.cdnowSample();
    int cutoff = (int) TestData.SAMPLE_CUTOFF.toEpochDay();
    Trainer.Result withHoldout = TestData.sampleTraining(); // trained on the full log
    Trainer.Result without = new Trainer(ModelSettings.from(TestData.settings())).train(full.upTo(cutoff), TestData.SAMPLE_CUTOFF);
    FeatureTable table = FeatureTable.at(full, cutoff, new FeatureBuilder(withHoldout.spec()));
    assertEquals(withHoldout.champion(), without.champion());
    for (Trainer.Candidate c : withHoldout.candidates()) {
      ValueModel other = without.candidate(c.algorithm()).model();
      for (int i = 0; i < table.size(); i += 11) {
        assertEquals(c.model().predict(table.row(i)).spend(), other.predict(table.row(i)).spend(), 0, c.algorithm());
      }
    }
  }

  @Test
  void trainingAgainOnTheSameDataAndSettingsReusesTheChampion(@TempDir Path dir) {
    ModelSettings s = ModelSettings.from(TestData.settings()).withAlgorithms(List.of("btyd", "naive"));
    TrainingService service = new TrainingService(s, new ModelRegistry(dir, TestData.home()));
    CustomerLog log = TestData.cdnowSample();
    TrainingService.TrainingResult first = service.train(log, "sample", null, false);
    TrainingService.TrainingResult second = service.train(log, "sample", null, false);
    assertTrue(!first.reused() && second.reused());
    assertEquals(first.champion(), second.champion());
  }

  @Test
  void changedSettingsRetrain(@TempDir Path dir) {
    CustomerLog log = TestData.cdnowSample();
    ModelSettings s = ModelSettings.from(TestData.settings()).withAlgorithms(List.of("btyd", "naive"));
    new TrainingService(s, new ModelRegistry(dir, TestData.home())).train(log, "sample", null, false);
    ModelSettings changed =
        ModelSettings.from(TestData.settings(Map.of("valuetier.features.recent-window-days", "60")))
            .withAlgorithms(List.of("btyd", "naive"));
    TrainingService.TrainingResult again =
        new TrainingService(changed, new ModelRegistry(dir, TestData.home())).train(log, "sample", null, false);
    assertTrue(!again.reused());
  }
}
