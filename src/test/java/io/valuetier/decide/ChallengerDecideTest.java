package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleSetWatcher;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.feedback.RuleSetComparison;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Champion/challenger on the real DMN engine and guardrails, with the registry's gate, on H2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChallengerDecideTest {
  private static final Instant AT = Instant.parse("2026-11-28T06:00:00Z");
  private Store store;
  private Path dir;
  private RuleSetRegistry registry;

  @BeforeAll
  void start() throws Exception {
    store = TestStores.h2();
    dir = Files.createTempDirectory("valuetier-challenger");
    registry = ChallengerRuleSets.registry(store, ChallengerRuleSets.goldEndsAt90(dir.resolve("challenger")), 0.3);
  }

  @AfterAll
  void stop() {
    store.close();
  }

  /** Active customers at value percentile 92: Gold for the champion, Platinum for the challenger. */
  private static List<DecisionInput> between90And95(int n) {
    List<DecisionInput> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.add(Inputs.customer("k" + i, 1500, 92, 0.7));
    }
    return in;
  }

  @Test
  void theChallengerPassedTheGateAndItsVersionIsTheContentHashOfItsFolder() {
    RuleSetRegistry.RuleSetChange o = registry.challengerOutcome().orElseThrow();
    assertTrue(o.activated(), o::reason);
    Challenger c = registry.challenger().orElseThrow();
    assertEquals(RuleFiles.read(dir.resolve("challenger")).id(), c.ruleSet().version());
    assertNotEquals(registry.active().version(), c.ruleSet().version());
    assertTrue(o.tests().passed() && o.tests().cases() > 5, "the analyst tests ran on the challenger");
    assertTrue(new RuleSetHistory(store).load(c.ruleSet().version()).isPresent(), "stored, so that explain can read it");
    assertEquals(registry.active().version(), new RuleSetHistory(store).active().orElseThrow().version(),
        "the challenger does not become the active version");
  }

  @Test
  void aShareOfZeroDecidesEveryoneWithTheChampion() {
    Challenger none = new Challenger(registry.challenger().orElseThrow().ruleSet(), 0, "test-salt");
    List<Decision> ds = new DecisionEngine(registry.active(), TestRuleSets.params(), ControlGroups.none(), none)
        .decideAll(between90And95(500), AT, e -> {
          throw e;
        });
    assertTrue(ds.stream().allMatch(d -> d.ruleSetRole().equals(Challenger.CHAMPION)
        && d.ruleSetVersion().equals(registry.active().version()) && d.valueTier().equals("Gold")));
  }

  @Test
  void theChallengersCustomersAreChosenByHashAndGetTheChallengersOutputs() {
    List<DecisionInput> in = between90And95(4000);
    DecisionEngine engine = DecisionEngine.of(registry, TestRuleSets.params(), ControlGroups.none());
    List<Decision> first = engine.decideAll(in, AT, e -> {
      throw e;
    });
    List<Decision> second = DecisionEngine.of(registry, TestRuleSets.params(), ControlGroups.none())
        .decideAll(in, AT, e -> {
          throw e;
        });
    String challengerVersion = registry.challenger().orElseThrow().ruleSet().version();
    int challenged = 0;
    for (int i = 0; i < in.size(); i++) {
      Decision d = first.get(i);
      boolean expected = Challenger.unit("test-salt", d.customerId()) < 0.3;
      assertEquals(expected ? Challenger.CHALLENGER : Challenger.CHAMPION, d.ruleSetRole(), d.customerId());
      assertEquals(expected ? challengerVersion : registry.active().version(), d.ruleSetVersion());
      assertEquals(expected ? "Platinum" : "Gold", d.valueTier(), d::matchedRows);
      assertEquals(d.ruleSetRole(), second.get(i).ruleSetRole(), "the same customers in every run");
      challenged += expected ? 1 : 0;
    }
    double sigma = Math.sqrt(0.3 * 0.7 / in.size());
    assertEquals(0.3, challenged / (double) in.size(), 4 * sigma);
  }

  @Test
  void theAssignmentIsIndependentOfTheControlGroups() {
    ControlGroups control = new ControlGroups(0.5, Map.of(), "s");
    int both = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = "k" + i;
      both += Challenger.unit("test-salt", id) < 0.3 && control.heldOut(id, "ANY_ACTION") ? 1 : 0;
    }
    assertEquals(0.15, both / (double) n, 4 * Math.sqrt(0.15 * 0.85 / n));
  }

  @Test
  void onlineDecisionsUseTheChallengerForItsCustomersAndTheTraceAndExplanationSaySo() {
    DecisionService service = new DecisionService(registry, new DecisionLog(store, 10), TestRuleSets.params());
    String challengerVersion = registry.challenger().orElseThrow().ruleSet().version();
    DecisionInput assigned = null;
    for (DecisionInput i : between90And95(100)) {
      if (Challenger.unit("test-salt", i.customerId()) < 0.3) {
        assigned = i;
        break;
      }
    }
    Decision d = service.decide(assigned);
    assertEquals(Challenger.CHALLENGER, d.ruleSetRole());
    assertEquals("Platinum", d.valueTier());
    LoggedDecision stored = new DecisionLog(store, 1).latest(assigned.customerId()).orElseThrow();
    assertEquals(Challenger.CHALLENGER, stored.decision().ruleSetRole());
    assertEquals(challengerVersion, stored.decision().ruleSetVersion());
    String text = String.join("\n", new Explainer(new RuleSetHistory(store)).explain(stored));
    assertTrue(text.contains("rule set " + challengerVersion + " (challenger)"), text);
    assertTrue(text.contains("because rule 4 of 'Value Tier' (id vt-r4, hit policy UNIQUE) matched: Cold Start = false,"
        + " Tenure Days >= 90, Probability Active >= 0.3, Value Percentile >= 90"), text);
  }

  @Test
  void theComparisonAddsUpToTheRunsDecisions() throws InterruptedException {
    RuleSetComparison.Comparison c = ChallengerRuleSets.batchAndCompare(store, registry);
    String text = RuleSetComparison.text(c);
    assertTrue(text.contains("champion " + registry.active().version().substring(0, 16)), text);
    assertTrue(text.contains("challenger - champion: response rate"), text);
    // the visible difference: the challenger's tier mix has more Platinum
    RuleSetComparison.Group champion = c.ruleSets().get(0);
    RuleSetComparison.Group challenger = c.ruleSets().get(1);
    assertTrue(challenger.tierShare().getOrDefault("Platinum", 0.0) > champion.tierShare().getOrDefault("Platinum", 0.0),
        text);
  }

  @Test
  void aChallengerThatFailsItsTestsIsRefusedWithItsMessagesAndTheChampionDecidesEveryone() throws Exception {
    Store own = TestStores.h2();
    try {
      RuleSetRegistry r = ChallengerRuleSets.registry(own, ChallengerRuleSets.failingItsTests(dir.resolve("bad")), 0.5);
      RuleSetRegistry.RuleSetChange o = r.challengerOutcome().orElseThrow();
      assertTrue(o.refused(), o.reason());
      assertTrue(o.reason().contains("1 of ") && o.reason().contains("test case(s) failed"), o.reason());
      assertTrue(o.reason().contains(Challenger.DIR_KEY) && o.reason().contains("decided by the champion"), o.reason());
      assertFalse(o.tests().passed());
      assertTrue(r.challenger().isEmpty());
      assertTrue(r.current().isPresent(), "the champion is active");
      List<Decision> ds = DecisionEngine.of(r, TestRuleSets.params(), ControlGroups.none())
          .decideAll(between90And95(200), AT, e -> {
            throw e;
          });
      assertTrue(ds.stream().allMatch(d -> d.ruleSetRole().equals(Challenger.CHAMPION)));

      Path missing = dir.resolve("no-such-folder");
      r.withChallenger(new Challenger.Config(missing, 0.5, "s")).reload();
      RuleSetRegistry.RuleSetChange gone = r.challengerOutcome().orElseThrow();
      assertTrue(gone.refused() && gone.reason().contains("cannot read the challenger folder " + missing)
          && gone.reason().contains(Challenger.DIR_KEY), gone.reason());
      assertTrue(r.challenger().isEmpty());

      Path good = ChallengerRuleSets.goldEndsAt90(dir.resolve("fixed"));
      r.withChallenger(new Challenger.Config(good, 0.5, "s")).reload();
      assertTrue(r.challengerOutcome().orElseThrow().activated(), "a fixed challenger is taken on the next reload");
      assertEquals(RuleFiles.read(good).id(), r.challenger().orElseThrow().ruleSet().version());
    } finally {
      own.close();
    }
  }

  @Test
  void theWatcherReloadsAChangedChallengerByItself() throws Exception {
    Store own = TestStores.h2();
    try {
      Path folder = ChallengerRuleSets.goldEndsAt90(dir.resolve("watched"));
      RuleSetRegistry r = ChallengerRuleSets.registry(own, folder, 0.2);
      String v1 = r.challenger().orElseThrow().ruleSet().version();
      String champion = r.active().version();
      try (RuleSetWatcher w = new RuleSetWatcher(r, 200, o -> {})) {
        Path drl = folder.resolve("rules/guardrails.drl");
        Files.writeString(drl, Files.readString(drl) + "\n// the challenger's guardrails, edited\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r.challenger().map(c -> c.ruleSet().version().equals(v1)).orElse(true)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      }
      assertEquals(RuleFiles.read(folder).id(), r.challenger().orElseThrow().ruleSet().version());
      assertNotEquals(v1, r.challenger().orElseThrow().ruleSet().version());
      assertEquals(champion, r.active().version(), "the champion is unchanged");
    } finally {
      own.close();
    }
  }
}
