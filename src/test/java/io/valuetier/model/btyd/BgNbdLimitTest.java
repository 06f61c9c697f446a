package io.valuetier.model.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A BG/NBD fit close to the no-dropout limit (a and b in the thousands, as fitted on a small early snapshot of a
 * synthetic shop) once sent expectedPurchases into endless recursion (StackOverflowError): Euler's form overflows there.
 */
class BgNbdLimitTest {
  @Test
  void expectedPurchasesNearTheNoDropoutLimitIsTheNbdExpectation() {
    BgNbd m = new BgNbd(0.5500642053485034, 23.332178199741275, 3983.4845798809793, 162754.66815508806);
    double e = m.expectedPurchases(0, 0, 107, 120);
    // with hardly any dropout a customer without repeat purchases keeps the gamma-Poisson rate: r t / (alpha + T)
    double nbd = 0.5500642053485034 * 120 / (23.332178199741275 + 107);
    assertTrue(Double.isFinite(e), "finite: " + e);
    assertTrue(e < nbd, "dropout can only lower it: " + e + " vs " + nbd);
    assertEquals(nbd, e, 0.05 * nbd);
    // the same holds for a repeat buyer, through the direct series too
    double e3 = m.expectedPurchases(3, 80, 107, 120);
    assertTrue(Double.isFinite(e3) && e3 > e, "more purchases, more expected: " + e3);
  }
}
