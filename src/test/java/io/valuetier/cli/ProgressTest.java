package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What a long stage prints outside a terminal: what it has done and its rate, or its time. */
class ProgressTest {

  @Test
  void aCountingStageGivesItsCountAndRate() {
    assertEquals("120,000 customers, 4,000 customers/s", Progress.counted(() -> 120_000, "customers", 30));
    assertEquals("valuetier: decide running 40 s, 62%, 571,233 decisions, 14,281 decisions/s",
        Progress.line("decide", 40, 0.62, Progress.counted(() -> 571_233, "decisions", 40)));
  }

  @Test
  void aStageThatDoesNotCountGivesItsTimeOnly() {
    assertNull(Progress.counted(null, null, 12));
    assertEquals("valuetier: train running 75 s", Progress.line("train", 75, -1, ""));
  }
}
