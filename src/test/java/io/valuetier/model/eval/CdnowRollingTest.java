package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.model.TestData;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rolling-origin backtest on CDNOW master (six month-end cutoffs 1997-06-30..1997-11-30, 23,502 customers, one
 * acquisition cohort and 18 months, so no totals forecast), with the shipped settings and seed: the bars
 * ({@link RollingBars}). README, "Rolling-origin backtests".
 */
@Tag("slow")
class CdnowRollingTest extends RollingBars {
  static RollingBacktest.Report report;

  @BeforeAll
  static void run() {
    report = backtest(TestData.cdnowMaster());
  }

  @Override
  RollingBacktest.Report report() {
    return report;
  }

  @Test
  void everyMonthEndWithHalfTheSpanBeforeItAndAFullHoldoutAfterIsACutoff() {
    assertEquals(LocalDate.of(1997, 6, 30), report.plan().cutoffs().getFirst());
    assertEquals(LocalDate.of(1997, 11, 30), report.plan().cutoffs().getLast());
    assertEquals(6, report.cutoffs().size());
  }
}
