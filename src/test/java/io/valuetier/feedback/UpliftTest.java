package io.valuetier.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpliftTest {

  @Test
  void newcombesIntervalMatchesThePublishedExample() {
    // Newcombe (1998), Table II, example (a): 56/70 vs 48/80, method 10 gives 0.0524 to 0.3339.
    Uplift.Difference d = Uplift.responseRate(56, 70, 48, 80);
    assertEquals(0.2, d.estimate(), 1e-12);
    assertEquals(0.0524, d.low(), 5e-4);
    assertEquals(0.3339, d.high(), 5e-4);
  }

  @Test
  void newcombesIntervalStaysInsideMinusOneToOneForExtremeRates() {
    // Newcombe (1998), example (d): 10/10 vs 0/20, method 10 gives 0.6791 to 1.0000.
    Uplift.Difference d = Uplift.responseRate(10, 10, 0, 20);
    assertEquals(0.6791, d.low(), 5e-4);
    assertEquals(1.0, d.high(), 5e-4);
  }

  @Test
  void theIntervalCoversTheTrueUpliftInAbout95PercentOfSimulatedExperiments() {
    Random r = new Random(42);
    int covered = 0;
    int trials = 2000;
    for (int t = 0; t < trials; t++) {
      int nt = 400;
      int nc = 100;
      int st = 0;
      int sc = 0;
      for (int i = 0; i < nt; i++) {
        st += r.nextDouble() < 0.30 ? 1 : 0;
      }
      for (int i = 0; i < nc; i++) {
        sc += r.nextDouble() < 0.20 ? 1 : 0;
      }
      covered += Uplift.responseRate(st, nt, sc, nc).contains(0.10) ? 1 : 0;
    }
    double coverage = (double) covered / trials;
    assertTrue(coverage > 0.93 && coverage < 0.975, "coverage " + coverage);
  }

  @Test
  void welchIntervalOfEqualMeansContainsZero() {
    Uplift.Difference d = Uplift.meanDifference(50, 400, 200, 50, 900, 100);
    assertEquals(0, d.estimate(), 1e-12);
    assertTrue(d.contains(0));
    assertFalse(d.significant());
  }

  @Test
  void theTQuantileApproachesTheNormalOneForLargeSamples() {
    assertEquals(2.228, Uplift.tQuantile975(10), 2e-3);
    assertEquals(2.042, Uplift.tQuantile975(30), 1e-3);
    assertEquals(1.960, Uplift.tQuantile975(1e9), 1e-3);
  }

  @Test
  void identicalPopulationsHaveAStabilityIndexNearZeroAndAShiftedOneAboveTheMajorShiftLevel() {
    Random r = new Random(7);
    double[] a = new double[20_000];
    double[] b = new double[20_000];
    double[] c = new double[20_000];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
      b[i] = r.nextGaussian();
      c[i] = r.nextGaussian() + 1.0;
    }
    assertTrue(PopulationStability.numeric(a, b, 10) < 0.01);
    assertTrue(PopulationStability.numeric(a, c, 10) > 0.25);
  }

  @Test
  void theTierMixIndexIsZeroForTheSameSharesAndGrowsWithAShift() {
    assertEquals(0, PopulationStability.categorical(
        Map.of("Gold", 100L, "Silver", 300L), Map.of("Gold", 200L, "Silver", 600L)), 1e-12);
    assertTrue(PopulationStability.categorical(
        Map.of("Gold", 100L, "Silver", 300L), Map.of("Gold", 300L, "Silver", 100L)) > 0.25);
  }
}
