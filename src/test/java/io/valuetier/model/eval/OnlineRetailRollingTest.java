package io.valuetier.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.model.TestData;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rolling-origin backtest on the two-year Online Retail log (seven month-end cutoffs, 5,939 customers), with the
 * shipped settings and seed: the bars ({@link RollingBars}), with the totals marketing budgets on at every
 * cutoff. README, "Rolling-origin backtests".
 */
@Tag("slow")
class OnlineRetailRollingTest extends RollingBars {
  static RollingBacktest.Report report;

  @BeforeAll
  static void run() {
    report = backtest(TestData.onlineRetailTwoYears());
  }

  @Override
  RollingBacktest.Report report() {
    return report;
  }

  @Test
  void everyMonthEndWithAYearBeforeItAndAFullHoldoutAfterIsACutoff() {
    assertEquals(LocalDate.of(2010, 11, 30), report.plan().cutoffs().getFirst());
    assertEquals(LocalDate.of(2011, 5, 31), report.plan().cutoffs().getLast());
    assertEquals(7, report.cutoffs().size());
  }
}
