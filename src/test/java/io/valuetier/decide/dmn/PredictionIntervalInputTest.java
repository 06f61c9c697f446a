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
 * TieringModel#SPEND_LOW}, {@value TieringModel#SPEND_HIGH}), so that a table can tier on the lower bound; a model that
 * does not declare it is evaluated exactly as before.
 */
class PredictionIntervalInputTest {
  private static final String DMN = "dmn/customer-tiering.dmn";
  private static final String MODEL_COMPONENT = "name=\"Model Version\" isCollection=\"false\"><typeRef>string</typeRef></itemComponent>";

  /** The shipped rule set with the interval declared in tPrediction. */
  private static RuleSet withIntervalDeclared() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    String dmn = files.get(DMN);
    int at = dmn.indexOf(MODEL_COMPONENT);
    assertTrue(at > 0, "the Model Version component of tPrediction was not found in " + DMN);
    int end = at + MODEL_COMPONENT.length();
    dmn = dmn.substring(0, end)
        + "\n    <itemComponent id=\"tPrediction-low\" name=\"Predicted Spend Low\" isCollection=\"false\">"
        + "<typeRef>number</typeRef></itemComponent>"
        + "\n    <itemComponent id=\"tPrediction-high\" name=\"Predicted Spend High\" isCollection=\"false\">"
        + "<typeRef>number</typeRef></itemComponent>" + dmn.substring(end);
    files.put(DMN, dmn);
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
  void theShippedModelDoesNotReadTheIntervalAndDecidesAsWithout() {
    TieringModel shipped = TestRuleSets.shipped().model();
    assertFalse(shipped.readsIntervals());
    DecisionInput in = Inputs.goldVoucher("g1", 900);
    assertEquals(show(shipped.evaluateOnEngine(in)), show(shipped.evaluateOnEngine(withInterval(in, "100", "2000"))));
  }

  @Test
  void aModelWhosePredictionTypeDeclaresTheIntervalGetsIt() {
    TieringModel model = withIntervalDeclared().model();
    assertTrue(model.readsIntervals());
    Map<String, Object> inputs = TieringModel.inputs(withInterval(Inputs.silver("s1"), "12.5", "980"), true);
    @SuppressWarnings("unchecked")
    Map<String, Object> prediction = (Map<String, Object>) inputs.get(TieringModel.PREDICTION);
    assertEquals(new BigDecimal("12.5"), prediction.get(TieringModel.SPEND_LOW));
    assertEquals(new BigDecimal("980"), prediction.get(TieringModel.SPEND_HIGH));
    // declared but unknown (a model without intervals): the engine takes nulls and decides as the shipped model
    TieringModel shipped = TestRuleSets.shipped().model();
    for (DecisionInput in : new DecisionInput[] {Inputs.silver("s2"), Inputs.goldVoucher("g2", 900),
        Inputs.atRiskVoucher("r2", 700)}) {
      assertEquals(show(shipped.evaluateOnEngine(in)), show(model.evaluateOnEngine(in)), in.customerId());
      assertEquals(show(shipped.evaluateOnEngine(in)), show(model.evaluateOnEngine(withInterval(in, "1", "5000"))),
          in.customerId());
    }
  }
}
