package io.valuetier.decide.dmn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.Inputs;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetCompiler;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The prediction interval reaches the DMN when the analysts' Prediction type declares it ({@value
 * TieringModel#SPEND_LOW}, {@value TieringModel#SPEND_HIGH}), as the shipped model does, so that a table can tier on
 * the lower bound; a model that does not declare it is evaluated exactly as before, and the shipped rows, which do not
 * use it yet, decide the same with any interval.
 */
class PredictionIntervalInputTest {
  private static final String DMN = "dmn/customer-tiering.dmn";

  /** The shipped rule set with the interval components taken out of tPrediction (a model written before them). */
  private static RuleSet withoutInterval() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    String dmn = files.get(DMN);
    String stripped = dmn.replaceAll("(?s)\\s*<itemComponent id=\"tPrediction-spend-(low|high)\".*?</itemComponent>", "");
    assertTrue(stripped.length() < dmn.length(), "the interval components of tPrediction were not found in " + DMN);
    files.put(DMN, stripped);
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.of(files));
    assertTrue(r.ok(), () -> "does not compile: " + r.messages());
    return r.ruleSet();
  }

  private static String show(DmnResult r) {
    return String.join("|", r.valueTier(), r.actionCode(), String.valueOf(r.channel()), String.valueOf(r.offer()),
        String.valueOf(r.offerCost()), String.valueOf(r.serviceLevel()), java.util.Arrays.toString(r.matchedRows()),
        Integer.toString(r.products()));
  }

  private static DecisionInput withInterval(DecisionInput in, String low, String high) {
    return in.withInterval(low == null ? null : new BigDecimal(low), high == null ? null : new BigDecimal(high));
  }

  @Test
  void aModelWithoutTheIntervalDoesNotReadItAndDecidesAsBefore() {
    TieringModel old = withoutInterval().model();
    assertFalse(old.readsIntervals());
    DecisionInput in = Inputs.goldVoucher("g1", 900);
    assertEquals(show(old.evaluateOnEngine(in)), show(old.evaluateOnEngine(withInterval(in, "100", "2000"))));
  }

  @Test
  void theShippedModelDeclaresTheIntervalAndGetsIt() {
    TieringModel model = TestRuleSets.shipped().model();
    assertTrue(model.readsIntervals());
    Map<String, Object> inputs = TieringModel.inputs(withInterval(Inputs.silver("s1"), "12.5", "980"), true);
    @SuppressWarnings("unchecked")
    Map<String, Object> prediction = (Map<String, Object>) inputs.get(TieringModel.PREDICTION);
    assertEquals(new BigDecimal("12.5"), prediction.get(TieringModel.SPEND_LOW));
    assertEquals(new BigDecimal("980"), prediction.get(TieringModel.SPEND_HIGH));
    // no shipped row reads the interval yet: with it, without it (nulls) and without the components, the same outcome
    TieringModel old = withoutInterval().model();
    for (DecisionInput in : new DecisionInput[] {Inputs.silver("s2"), Inputs.goldVoucher("g2", 900),
        Inputs.atRiskVoucher("r2", 700)}) {
      assertEquals(show(old.evaluateOnEngine(in)), show(model.evaluateOnEngine(in)), in.customerId());
      assertEquals(show(old.evaluateOnEngine(in)), show(model.evaluateOnEngine(withInterval(in, "1", "5000"))),
          in.customerId());
    }
  }
}
