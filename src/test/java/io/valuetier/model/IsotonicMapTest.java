package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsotonicMapTest {

  @Test
  void theMapNeverDecreasesAndKeepsTheTotalWithinThreePercent() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 5000;
    double[] score = new double[n];
    double[] spend = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      score[i] = r.nextDouble() * 6;
      spend[i] = r.nextDouble() < 0.6 ? 0 : Math.expm1(score[i]) * (0.5 + r.nextDouble());
      total += spend[i];
    }
    IsotonicMap m = IsotonicMap.fit(score, spend, 50);
    double previous = Double.NEGATIVE_INFINITY;
    for (double s = -1; s <= 7; s += 0.01) {
      double v = m.apply(s);
      assertTrue(v >= previous, "decreases at " + s);
      previous = v;
    }
    double predicted = 0;
    for (double s : score) {
      predicted += m.apply(s);
    }
    assertEquals(1, predicted / total, 0.03); // interpolation between bin centres moves it a little
  }

  @Test
  void aDecreasingBinIsPooledWithItsNeighbour() {
    IsotonicMap m = IsotonicMap.fit(new double[] {1, 2, 3, 4}, new double[] {10, 30, 20, 40}, 1);
    assertEquals(3, m.steps());
    assertEquals(25, m.apply(2.5), 1e-12);
  }
}
