package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  @Test
  void withMoreThanAYearOfDataTheCutoffsSurroundThePredictionCutoffAYearEarlier() {
    int first = 0;
    int cutoff = 554;
    List<Snapshot> plan = Snapshot.plan(first, cutoff, cutoff, 184, 4, 30, 90, 28, true);
    assertEquals(List.of(129, 159, 189, 219), plan.stream().map(Snapshot::cutoffDay).toList());
    assertTrue(plan.stream().allMatch(s -> s.horizonDays() == 184 && s.cutoffDay() + 184 <= cutoff));
  }

  @Test
  void withLessThanAYearTheLatestCutoffsAreUsedAndTheHorizonShrinks() {
    List<Snapshot> plan = Snapshot.plan(0, 272, 272, 273, 4, 30, 90, 28, true);
    assertEquals(List.of(90, 120, 150, 180), plan.stream().map(Snapshot::cutoffDay).toList());
    assertEquals(92, plan.getFirst().horizonDays());
  }

  @Test
  void fewerCutoffsAreUsedBeforeTheHorizonGoesBelowTheMinimum() {
    List<Snapshot> plan = Snapshot.plan(0, 181, 181, 273, 4, 30, 90, 28, false);
    assertEquals(3, plan.size());
    assertEquals(31, plan.getFirst().horizonDays());
  }

  @Test
  void dataTooShortForOneCutoffIsRefusedWithTheSettingsToChange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Snapshot.plan(0, 100, 100, 184, 4, 30, 90, 28, true));
    assertTrue(e.getMessage().contains("valuetier.model.min-history-days"), e.getMessage());
  }
}
