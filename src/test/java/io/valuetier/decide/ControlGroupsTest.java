package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlGroupsTest {

  @Test
  void aboutTheConfiguredShareOfCustomersIsHeldOutPerAction() {
    ControlGroups g = new ControlGroups(0.1, Map.of("VOUCHER", 0.25), "s");
    int voucher = 0;
    int mail = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      voucher += g.heldOut("c" + i, "VOUCHER") ? 1 : 0;
      mail += g.heldOut("c" + i, "MAIL") ? 1 : 0;
    }
    assertEquals(0.25, voucher / (double) n, 0.005);
    assertEquals(0.10, mail / (double) n, 0.005);
  }

  @Test
  void theChoiceIsTheSameInEveryRunAndIndependentBetweenActions() {
    ControlGroups a = new ControlGroups(0.5, Map.of(), "s");
    ControlGroups b = new ControlGroups(0.5, Map.of(), "s");
    int both = 0;
    for (int i = 0; i < 10_000; i++) {
      assertEquals(a.heldOut("c" + i, "X"), b.heldOut("c" + i, "X"));
      both += a.heldOut("c" + i, "X") && a.heldOut("c" + i, "Y") ? 1 : 0;
    }
    assertEquals(0.25, both / 10_000.0, 0.02, "held out of X and of Y independently");
  }

  @Test
  void aZeroShareHoldsNobodyOutAndAShareOfOneIsRefused() {
    assertFalse(new ControlGroups(0, Map.of(), "s").heldOut("c1", "X"));
    assertTrue(assertThrows(RuntimeException.class, () -> new ControlGroups(1.0, Map.of(), "s"))
        .getMessage().contains("valuetier.feedback.control.share"));
  }
}
