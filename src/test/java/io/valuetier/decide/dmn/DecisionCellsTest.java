package io.valuetier.decide.dmn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSetCompiler;
import java.math.BigDecimal;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Remembering the outcome per cell of the inputs gives exactly what the engine gives, for every customer, the values
 * on and around every constant of the tables and the empty facts included; a model with anything but constants in
 * its tables is not remembered at all.
 */
class DecisionCellsTest {
  private static final String DMN = "dmn/customer-tiering.dmn";
  /** Values on, just below and just above the constants of the shipped tables, and typical ones. */
  private static final double[] PERCENTILES = {0, 10, 49.99, 50, 50.01, 79.99, 80, 80.01, 94.99, 95, 95.01, 99, 100};
  private static final double[] ACTIVE = {0, 0.1, 0.2999, 0.3, 0.3001, 0.6, 1};
  private static final double[] TENURE = {0, 30, 89, 89.5, 90, 91, 400};
  private static final double[] RETURNS = {0, 0.1, 0.2999, 0.3, 0.3001, 0.9};
  private static final Boolean[] FLAGS = {true, false, null};
  private static final String[] SEGMENTS = {"Retail", "Wholesale", null};
  private static final double[] COMPLAINTS = {-1, 0, 1, 3};

  private static BigDecimal bd(double v) {
    return BigDecimal.valueOf(v);
  }

  private static void assertSame(DmnResult engine, DmnResult remembered, String what) {
    assertEquals(engine.valueTier(), remembered.valueTier(), what);
    assertEquals(engine.actionCode(), remembered.actionCode(), what);
    assertEquals(engine.channel(), remembered.channel(), what);
    assertEquals(engine.offer(), remembered.offer(), what);
    assertEquals(engine.priority(), remembered.priority(), what);
    assertEquals(0, engine.offerCost().compareTo(remembered.offerCost()), what);
    assertEquals(engine.serviceLevel(), remembered.serviceLevel(), what);
    assertArrayEquals(engine.matchedRows(), remembered.matchedRows(), what);
  }

  @Test
  void theShippedModelIsRememberedPerCellAndGivesWhatTheEngineGives() {
    TieringModel model = TestRuleSets.shipped().model();
    assertTrue(model.remembersCells(), "the shipped tables compare inputs with constants only");
    SplittableRandom r = new SplittableRandom(11);
    int n = 0;
    for (int i = 0; i < 30_000; i++) {
      double pct = r.nextInt(3) == 0 ? PERCENTILES[r.nextInt(PERCENTILES.length)] : 100 * r.nextDouble();
      double act = r.nextInt(3) == 0 ? ACTIVE[r.nextInt(ACTIVE.length)] : r.nextDouble();
      double ten = r.nextInt(2) == 0 ? TENURE[r.nextInt(TENURE.length)] : r.nextInt(2000);
      double ret = RETURNS[r.nextInt(RETURNS.length)];
      double cmp = COMPLAINTS[r.nextInt(COMPLAINTS.length)];
      DecisionInput in = new DecisionInput(
          "c" + i, bd(Math.round(5000 * r.nextDouble()) / 100.0), bd(pct), bd(act), r.nextInt(10) == 0, "gbt", "v1",
          bd(ten), bd(ret), FLAGS[r.nextInt(3)], FLAGS[r.nextInt(3)], cmp < 0 ? null : bd(cmp), FLAGS[r.nextInt(3)],
          "UK", SEGMENTS[r.nextInt(3)], r.nextInt(5));
      DmnResult remembered = model.evaluate(in);
      DmnResult engine = model.evaluateOnEngine(in);
      assertSame(engine, remembered, in.toString());
      n++;
    }
    assertEquals(30_000, n);
  }

  @Test
  void aModelWithAnExpressionInACellIsNotRemembered() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    String dmn = files.get(DMN);
    assertTrue(dmn.contains("<text>&gt;= 95</text>"));
    files.put(DMN, dmn.replace("<text>&gt;= 95</text>", "<text>&gt;= 90 + 5</text>"));
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.of(files));
    assertTrue(r.ok(), () -> "the variant compiles: " + r.messages());
    assertFalse(r.ruleSet().model().remembersCells(), "a FEEL expression in a cell: every customer goes to the engine");
  }
}
