package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MLP's early stopping: a time split on the stacked snapshots, and the epochs it chose. */
class MlpTrainingTest {

  private static TrainingSet set(int[] snapshot, int snapshots) {
    int n = snapshot.length;
    List<Snapshot> plan = java.util.stream.IntStream.range(0, snapshots).mapToObj(k -> new Snapshot(100 + 30 * k, 90))
        .toList();
    return new TrainingSet(new double[n][1], new double[n], new boolean[n], snapshot, plan, 90, n);
  }

  @Test
  void theLatestSnapshotsRowsAreHeldOutWhenBothSidesHaveEnoughRows() {
    int[] snapshot = new int[1000];
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = i % 4; // rows of four snapshots, interleaved as the seeded sample leaves them
    }
    boolean[] held = MlpValueModel.heldOut(set(snapshot, 4));
    for (int i = 0; i < held.length; i++) {
      assertEquals(snapshot[i] == 3, held[i], "row " + i);
    }
  }

  @Test
  void oneSnapshotOrTooFewRowsOnASideMeansNoSplit() {
    assertArrayEquals(new boolean[1000], MlpValueModel.heldOut(set(new int[1000], 1)));
    int[] snapshot = new int[1000];
    for (int i = 0; i < 150; i++) {
      snapshot[i] = 1; // 150 rows of the latest snapshot: fewer than MIN_SPLIT_ROWS
    }
    assertArrayEquals(new boolean[1000], MlpValueModel.heldOut(set(snapshot, 2)));
  }

  @Test
  void aTrainedMlpStoppedWithinTheMostEpochsAndSaysWhen() {
    Trainer.Result r = TestData.sampleTraining();
    MlpValueModel mlp = (MlpValueModel) r.candidate("mlp").model();
    int most = ModelSettings.from(TestData.settings()).mlpEpochs();
    assertTrue(mlp.spendEpochs() >= 1 && mlp.spendEpochs() <= most, "spend epochs " + mlp.spendEpochs());
    assertTrue(mlp.buyEpochs() >= 1 && mlp.buyEpochs() <= most, "buy epochs " + mlp.buyEpochs());
    assertTrue(r.trainingPlan().size() > 1, "the sample trains on several snapshots, so the split is used");
  }
}
