package io.valuetier.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.ValueVector;
import smile.math.MathEx;
import smile.model.cart.Loss;
import smile.regression.GradientTreeBoost;

class FlatForestTest {
  static double[][] x;
  static DataFrame data;
  static GradientTreeBoost smile;
  static FlatForest flat;

  @BeforeAll
  static void fit() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 3000;
    x = new double[n][4];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = Math.round(r.nextDouble() * 1000) / 100.0;
      }
      y[i] = x[i][0] * x[i][1] - 3 * x[i][2] + r.nextDouble();
    }
    data = DataFrame.of(x, "a", "b", "c", "d").add(ValueVector.of("y", y));
    MathEx.setSeed(3);
    smile =
        GradientTreeBoost.fit(
            Formula.lhs("y"), data, new GradientTreeBoost.Options(Loss.ls(), 40, 6, 8, 5, 0.1, 0.7, null, null));
    FlatForest zero = FlatForest.of(smile.trees(), 0.1, 0);
    flat = FlatForest.of(smile.trees(), 0.1, smile.predict(data.get(0)) - zero.predict(x[0]));
  }

  @Test
  void theFlatCopyPredictsWhatSmilePredicts() {
    for (int i = 0; i < x.length; i += 7) {
      assertEquals(smile.predict(data.get(i)), flat.predict(x[i]), 1e-9, "row " + i);
    }
  }

  @Test
  void treeShapValuesAddUpToThePrediction() {
    for (int i = 0; i < x.length; i += 31) {
      double[] phi = flat.shap(x[i], 4);
      double sum = flat.expectedValue();
      for (double p : phi) {
        sum += p;
      }
      assertEquals(flat.predict(x[i]), sum, 1e-9, "row " + i);
    }
  }

  @Test
  void treeShapValuesAreSmilesOwnUpToItsScale() {
    for (int i = 0; i < x.length; i += 97) {
      double[] mine = flat.shap(x[i], 4);
      double[] theirs = smile.shap(data.get(i));
      for (int j = 0; j < 4; j++) {
        mine[j] /= 0.1 * 40; // Smile averages the trees' values (as for a random forest) and leaves out the shrinkage
      }
      assertArrayEquals(theirs, mine, 1e-6, "row " + i);
    }
  }

  @Test
  void aFeatureTheTreesNeverUseGetsNoShare() {
    double[] phi = flat.shap(x[5], 4);
    assertEquals(0, phi[3], 0.02 * (Math.abs(phi[0]) + Math.abs(phi[1]) + Math.abs(phi[2])));
  }

  @Test
  void tabulatedShapValuesAreThoseOfTheTreeShapPathAlgebra() {
    for (int i = 0; i < x.length; i += 13) {
      assertArrayEquals(flat.shapByPath(x[i], 4), flat.shap(x[i], 4), 1e-12, "row " + i);
    }
  }

  @Test
  void treesTooLargeToTabulateAreExplainedByThePathAlgebraAndStillAddUp() {
    MathEx.setSeed(5);
    GradientTreeBoost big =
        GradientTreeBoost.fit(
            Formula.lhs("y"), data, new GradientTreeBoost.Options(Loss.ls(), 10, 12, 40, 5, 0.1, 0.7, null, null));
    FlatForest zero = FlatForest.of(big.trees(), 0.1, 0);
    FlatForest f = FlatForest.of(big.trees(), 0.1, big.predict(data.get(0)) - zero.predict(x[0]));
    assertTrue(f.nodes() / f.trees() > 2 * FlatForest.TABLE_SPLITS + 1, "the trees have more splits than a table takes");
    for (int i = 0; i < x.length; i += 37) {
      double[] phi = f.shap(x[i], 4);
      assertArrayEquals(f.shapByPath(x[i], 4), phi, 1e-12, "row " + i);
      double sum = f.expectedValue();
      for (double p : phi) {
        sum += p;
      }
      assertEquals(f.predict(x[i]), sum, 1e-9, "row " + i);
    }
  }

  @Test
  void aMissingValueTakesTheRightBranchInTheTableAsInTheTrees() {
    double[] row = x[3].clone();
    row[0] = Double.NaN;
    assertArrayEquals(flat.shapByPath(row, 4), flat.shap(row, 4), 1e-12);
  }
}
