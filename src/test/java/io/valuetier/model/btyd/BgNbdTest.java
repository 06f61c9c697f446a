package io.valuetier.model.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD and Gamma-Gamma against the parameters published for the CDNOW 1/10 sample (Fader, Hardie and Lee 2005;
 * Fader and Hardie 2013), fitted on the calibration summary that ships in data/sample (weeks).
 */
class BgNbdTest {
  static int[] x;
  static double[] tx;
  static double[] tt;
  static double[] zbar;

  @BeforeAll
  static void readSummary() throws IOException {
    Path file = Path.of(System.getProperty("valuetier.home", "."), "data/sample/cdnow_customers_summary_with_transactions.csv");
    List<String> lines = Files.readAllLines(file);
    int n = lines.size() - 1;
    x = new int[n];
    tx = new double[n];
    tt = new double[n];
    zbar = new double[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(i + 1).split(",");
      x[i] = Integer.parseInt(f[1]);
      tx[i] = Double.parseDouble(f[2]);
      tt[i] = Double.parseDouble(f[3]);
      zbar[i] = Double.parseDouble(f[4]);
    }
  }

  private static void assertWithinOnePercent(double expected, double actual, String name) {
    assertEquals(expected, actual, expected * 0.01, name + " = " + actual + ", published " + expected);
  }

  @Test
  void bgNbdFitReproducesThePublishedCdnowParametersWithinOnePercent() {
    BgNbd m = BgNbd.fit(x, tx, tt);
    assertWithinOnePercent(0.243, m.r(), "r");
    assertWithinOnePercent(4.414, m.alpha(), "alpha");
    assertWithinOnePercent(0.793, m.a(), "a");
    assertWithinOnePercent(2.426, m.b(), "b");
  }

  @Test
  void bgNbdLogLikelihoodAtTheOptimumIsThePublishedValue() {
    BgNbd m = BgNbd.fit(x, tx, tt);
    double ll = 0;
    for (int i = 0; i < x.length; i++) {
      ll += m.logLikelihood(x[i], tx[i], tt[i]);
    }
    assertEquals(-9582.4, ll, 0.1); // Fader, Hardie and Lee (2005), section 5
  }

  @Test
  void gammaGammaFitReproducesThePublishedCdnowParametersWithinOnePercent() {
    GammaGamma g = GammaGamma.fit(x, zbar);
    assertWithinOnePercent(6.25, g.p(), "p");
    assertWithinOnePercent(3.74, g.q(), "q");
    assertWithinOnePercent(15.44, g.v(), "v");
  }

  @Test
  void expectedPurchasesOfTheFirstSampleCustomerMatchLifetimes() {
    // lifetimes' conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86) with the published parameters
    BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
    assertEquals(1.226, m.expectedPurchases(2, 30.43, 38.86, 39), 0.005);
    double alive = m.probabilityAlive(2, 30.43, 38.86);
    assertTrue(alive > 0.7 && alive < 0.8, "P(alive) = " + alive);
  }
}
