package io.valuetier.decide.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.Inputs;
import io.valuetier.decide.TestRuleSets;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each DRL guardrail on the real Drools engine, after the real DMN: given facts, expected action and reason. */
class GuardrailsTest {

  private static Decision decide(DecisionInput in, GuardrailParameters params) {
    return new DecisionEngine(TestRuleSets.shipped(), params)
        .decideOne(in, new BudgetLedger(params.offerBudget()), 1, Instant.now());
  }

  private static Decision decide(DecisionInput in) {
    return decide(in, TestRuleSets.params());
  }

  private static void assertStopped(Decision d, String code, String rule) {
    assertEquals("NO_CONTACT", d.actionCode());
    assertNull(d.channel());
    assertNull(d.offer());
    assertEquals(1, d.interventions().size(), () -> "interventions: " + d.interventions());
    assertEquals(code, d.interventions().get(0).code());
    assertEquals(rule, d.interventions().get(0).rule());
    assertTrue(d.reasons().contains(code + ": "), d.reasons());
  }

  @Test
  void aConsentingCustomerKeepsTheActionAndNoGuardrailIsRecorded() {
    Decision d = decide(Inputs.silver("c1"));
    assertEquals("NEWSLETTER", d.actionCode());
    assertEquals("EMAIL", d.channel());
    assertEquals(List.of(), d.interventions());
    assertEquals(List.of(), d.firedRules());
  }

  @Test
  void noMarketingContactWithoutConsent() {
    Decision d = decide(Inputs.with(Inputs.silver("c2"), false, BigDecimal.ZERO, false, 0));
    assertStopped(d, "NO_CONSENT", "No marketing contact without consent");
    assertEquals("NEWSLETTER", d.proposedAction());
  }

  @Test
  void aCustomerWithoutKnownFactsCountsAsNotConsenting() {
    Decision d = decide(Inputs.with(Inputs.silver("c3"), null, null, null, 0));
    assertStopped(d, "NO_CONSENT", "No marketing contact without consent");
  }

  @Test
  void contactFatigueStopsTheContactAtTheConfiguredNumberOfContacts() {
    GuardrailParameters five = new GuardrailParameters(5, 14, null);
    assertEquals("NEWSLETTER", decide(Inputs.with(Inputs.silver("c4"), true, BigDecimal.ZERO, false, 4), five).actionCode());
    Decision d = decide(Inputs.with(Inputs.silver("c4"), true, BigDecimal.ZERO, false, 5), five);
    assertStopped(d, "CONTACT_FATIGUE", "At most the allowed number of contacts within the fatigue window");
    assertTrue(d.interventions().get(0).reason().contains("5 times in the last 14 days (limit 5)"), d.reasons());
  }

  @Test
  void anOpenComplaintHoldsMarketing() {
    Decision d = decide(Inputs.with(Inputs.silver("c5"), true, BigDecimal.ONE, false, 0));
    assertStopped(d, "COMPLAINT_HOLD", "Hold marketing while a complaint is open");
    assertEquals("Priority", d.serviceLevel());
  }

  @Test
  void aFraudFlagHoldsAllMarketingBeforeAnyOtherGuardrail() {
    Decision d = decide(Inputs.with(Inputs.goldVoucher("c6", 900), false, BigDecimal.ONE, true, 9));
    assertStopped(d, "FRAUD_HOLD", "Hold all marketing for a customer flagged for fraud");
  }

  @Test
  void theOfferBudgetGoesToTheMostValuableCustomersFirst() {
    GuardrailParameters params = TestRuleSets.params(new BigDecimal("30")); // two 15.00 vouchers
    DecisionEngine engine = new DecisionEngine(TestRuleSets.shipped(), params);
    List<DecisionInput> inputs = List.of(Inputs.goldVoucher("low", 100), Inputs.goldVoucher("top", 300),
        Inputs.goldVoucher("mid", 200));
    Map<String, Decision> byId = batch(engine, inputs, params);
    assertEquals("15% off a category not yet bought", byId.get("top").offer());
    assertEquals("15% off a category not yet bought", byId.get("mid").offer());
    Decision low = byId.get("low");
    assertEquals("CROSS_SELL_VOUCHER", low.actionCode());
    assertEquals("EMAIL", low.channel(), "the contact stays, only the offer goes");
    assertNull(low.offer());
    assertEquals(0, low.offerCost().signum());
    assertEquals("BUDGET_CAP", low.guardrailCodes());
    assertEquals("Costly offers only while the run's offer budget lasts", low.interventions().get(0).rule());
  }

  @Test
  void aCheaperOfferOfALessValuableCustomerDoesNotJumpTheBudgetQueue() {
    GuardrailParameters params = TestRuleSets.params(new BigDecimal("20"));
    DecisionEngine engine = new DecisionEngine(TestRuleSets.shipped(), params);
    // The At Risk voucher (25.00) of the most valuable customer does not fit; the budget is then closed.
    Map<String, Decision> byId = batch(engine, List.of(Inputs.atRiskVoucher("first", 900),
        Inputs.goldVoucher("second", 500)), params);
    assertEquals("BUDGET_CAP", byId.get("first").guardrailCodes());
    assertEquals("BUDGET_CAP", byId.get("second").guardrailCodes());
  }

  private static Map<String, Decision> batch(DecisionEngine engine, List<DecisionInput> inputs, GuardrailParameters p) {
    List<DecisionEngine.Staged> staged = engine.evaluate(inputs, 0);
    BudgetLedger ledger = new BudgetLedger(p.offerBudget());
    List<ProposedAction> costly = new ArrayList<>();
    staged.forEach(s -> {
      if (s.action().isCostly()) {
        costly.add(s.action());
      }
    });
    ledger.grantInOrder(costly);
    engine.applyBudget(costly.stream().filter(a -> !a.isBudgetGranted()).toList());
    return staged.stream().map(s -> engine.finish(s, s.action().getIndex(), Instant.now()))
        .collect(Collectors.toMap(Decision::customerId, d -> d));
  }

  @Test
  void aRuleThatReactivatesItselfIsStoppedNamingItInsteadOfRunningForever() {
    String drl = "package rules;\nimport io.valuetier.decide.guardrails.ProposedAction;\n"
        + "import io.valuetier.decide.guardrails.GuardrailParameters;\nglobal GuardrailParameters params;\n"
        + "rule \"Touches the action forever\"\n  ruleflow-group \"customer\"\nwhen\n"
        + "  $a : ProposedAction( channel != null )\nthen\n  update($a);\nend\n";
    Guardrails.Compiled compiled = Guardrails.compile(Map.of("rules/loop.drl", drl), "loop");
    assertTrue(compiled.guardrails() != null, () -> "does not compile: " + compiled.messages());
    List<ProposedAction> actions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      actions.add(new ProposedAction(i, "C" + i, "NEWSLETTER", "EMAIL", null, 1, BigDecimal.ZERO, BigDecimal.TEN,
          true, 0, false, 0));
    }
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> compiled.guardrails().apply(actions, Guardrails.CUSTOMER_STAGE, TestRuleSets.params()));
    assertTrue(e.getMessage().contains("did not settle") && e.getMessage().contains("\"Touches the action forever\""),
        e.getMessage());
    // 3 actions, 1 rule: at most (1 + 1) * 10 firings per action before the bound stops it.
    assertTrue(e.getMessage().contains("fired " + (3 * 2 * Guardrails.FIRINGS_PER_RULE_AND_ACTION + 1) + " times"),
        e.getMessage());
  }

  private static ProposedAction newsletter(int index, boolean consent) {
    return new ProposedAction(index, "C" + index, "NEWSLETTER", "EMAIL", null, 1, BigDecimal.ZERO, BigDecimal.TEN,
        consent, 0, false, 0);
  }

  @Test
  void aReusedSessionStartsEmptyAndRecordsEachFiringOnce() {
    // sessions come from a pool: what one call inserted, listened to or failed on must not reach the next call
    Guardrails g = TestRuleSets.shipped().guardrails();
    for (int round = 0; round < 5; round++) {
      ProposedAction stopped = newsletter(0, false);
      g.apply(List.of(stopped), Guardrails.CUSTOMER_STAGE, TestRuleSets.params());
      assertEquals(List.of("No marketing contact without consent"), stopped.getFiredRules(), "round " + round);
      assertEquals(1, stopped.getInterventions().size(), "round " + round);
      ProposedAction kept = newsletter(1, true);
      g.apply(List.of(kept), Guardrails.CUSTOMER_STAGE, TestRuleSets.params());
      assertEquals(List.of(), kept.getFiredRules(), "round " + round + ": a fact of the call before was still there");
      assertEquals("NEWSLETTER", kept.getActionCode());
    }
  }

  @Test
  void aSessionThatFailedIsNotHandedOutDirty() {
    String drl = "package rules;\nimport io.valuetier.decide.guardrails.ProposedAction;\n"
        + "import io.valuetier.decide.guardrails.GuardrailParameters;\nglobal GuardrailParameters params;\n"
        + "rule \"Fails on C9\"\n  ruleflow-group \"customer\"\nwhen\n"
        + "  $a : ProposedAction( customerId == \"C9\" )\nthen\n  throw new IllegalArgumentException(\"boom\");\nend\n"
        + "rule \"Alone in the session\"\n  ruleflow-group \"customer\"\nwhen\n"
        + "  $a : ProposedAction( customerId != \"C9\" )\n"
        + "  Number( intValue == 1 ) from accumulate( ProposedAction(), count(1) )\nthen\nend\n";
    Guardrails.Compiled compiled = Guardrails.compile(Map.of("rules/fails.drl", drl), "fails");
    assertTrue(compiled.guardrails() != null, () -> "does not compile: " + compiled.messages());
    Guardrails g = compiled.guardrails();
    for (int round = 0; round < 3; round++) {
      org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
          () -> g.apply(List.of(newsletter(9, true)), Guardrails.CUSTOMER_STAGE, TestRuleSets.params()));
      ProposedAction next = newsletter(1, true);
      g.apply(List.of(next), Guardrails.CUSTOMER_STAGE, TestRuleSets.params());
      // fires only when the failed call's action is gone from the session
      assertEquals(List.of("Alone in the session"), next.getFiredRules(), "round " + round);
    }
  }
}
