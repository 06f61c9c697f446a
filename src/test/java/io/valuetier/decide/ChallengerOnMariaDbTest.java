package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.feedback.RuleSetComparison;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Champion/challenger decisions, their role column (V70) and the comparison's SQL on the real MariaDB. */
class ChallengerOnMariaDbTest {

  @Test
  void theComparisonAddsUpToTheRunsDecisionsOnMariaDb() throws Exception {
    String databaseUrl = TestStores.createMysqlDatabase("vt_challenger");
    try (Store store = TestStores.openMysql(databaseUrl)) {
      Path dir = Files.createTempDirectory("valuetier-challenger");
      RuleSetRegistry registry = ChallengerRuleSets.registry(store, ChallengerRuleSets.goldEndsAt90(dir), 0.3);
      RuleSetComparison.Comparison c = ChallengerRuleSets.batchAndCompare(store, registry);
      long challenged = c.ruleSets().get(1).customers();
      String anyChallenged = new DecisionLog(store, 1).latest("C0000001").orElseThrow().decision().ruleSetRole();
      assertEquals(store.queryLong("SELECT COUNT(*) FROM decisions WHERE rule_set_role = 'challenger'"), challenged);
      assertEquals(Challenger.unit("test-salt", "C0000001") < 0.3 ? "challenger" : "champion",
          anyChallenged);
    } finally {
      TestStores.dropMysql(databaseUrl);
    }
  }
}
