package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.testing.TestStores;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import io.valuetier.whatif.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code check runs wherever a rule set can come from: a reload of the folder, a rollback to a stored version (even
 * one an attacker wrote into the history table), the stored active version at start, and a simulation.
 */
class CodeGateRegistryTest {
  private static final String DRL = "rules/guardrails.drl";

  @TempDir Path root;
  @TempDir Path probeDir;
  private Store store;
  private RuleSetRegistry registry;

  @BeforeEach
  void setUp() {
    TestRuleSets.shipped().files().writeTo(root);
    store = TestStores.h2();
    registry = new RuleSetRegistry(root, new RuleSetHistory(store), TestRuleSets.params());
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Path probe() {
    return probeDir.resolve("probe.txt");
  }

  /** A rule that writes the probe file for every contact, and the line it writes on. */
  private String writingRule() {
    return "\nrule \"Write a file\"\n  ruleflow-group \"customer\"\nwhen\n  $a : ProposedAction( channel != null )\nthen\n"
        + "  java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + probe().toString().replace("\\", "\\\\")
        + "\"), \"ran\");\nend\n";
  }

  private String maliciousDrl() {
    return TestRuleSets.shipped().files().all().get(DRL) + writingRule();
  }

  private int maliciousLine() {
    String drl = maliciousDrl();
    return (int) drl.substring(0, drl.indexOf("java.nio")).chars().filter(c -> c == '\n').count() + 1;
  }

  private RuleFiles maliciousFiles() {
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put(DRL, maliciousDrl());
    return RuleFiles.of(files);
  }

  /** Writes a version into the history table directly, as someone with write access to the database could. */
  private void storeBehindTheGatesBack(RuleFiles files) {
    store.execute("INSERT INTO rule_set_versions (version_id, created_at, files, summary) VALUES (?,?,?,?)",
        files.id(), Timestamp.from(Instant.now()), Json.write(files.all()), "valid, 40 test cases passed");
  }

  private boolean namesTheCall(List<ValidationMessage> messages) {
    return messages.stream().anyMatch(m -> m.isError() && DRL.equals(m.file())
        && m.text().startsWith("line " + maliciousLine() + ", rule \"Write a file\": calls java.nio.file.Files.writeString"));
  }

  @Test
  void aReloadOfAFolderWithAMaliciousDrlKeepsTheRunningVersion() throws IOException {
    String running = registry.start().version();
    Files.writeString(root.resolve(DRL), maliciousDrl());
    RuleSetRegistry.RuleSetChange o = registry.reload();
    assertTrue(o.refused(), o::reason);
    assertTrue(namesTheCall(o.messages()), () -> "messages: " + o.messages());
    assertEquals(running, registry.active().version(), "the running version stays active");
    assertFalse(Files.exists(probe()), "the refused rule ran");
  }

  @Test
  void aRollbackToAStoredVersionThatBreaksTheGateIsRefused() throws IOException {
    String running = registry.start().version();
    String onDisk = Files.readString(root.resolve(DRL));
    RuleFiles planted = maliciousFiles();
    storeBehindTheGatesBack(planted);
    RuleSetRegistry.RuleSetChange o = registry.rollback(planted.id());
    assertTrue(o.refused(), o::reason);
    assertTrue(namesTheCall(o.messages()), () -> "messages: " + o.messages());
    assertEquals(running, registry.active().version(), "the running version stays active");
    assertEquals(onDisk, Files.readString(root.resolve(DRL)), "the refused version's files are not restored");
    assertFalse(Files.exists(probe()), "the refused rule ran");
  }

  @Test
  void aPlantedActiveVersionIsNotActivatedAtStart() {
    RuleFiles planted = maliciousFiles();
    storeBehindTheGatesBack(planted);
    store.execute("INSERT INTO rule_set_activations (version_id, activated_at, reason, note) VALUES (?,?,?,?)",
        planted.id(), Timestamp.from(Instant.now()), "RELOAD", "planted");
    registry.start();
    assertEquals(RuleFiles.read(root).id(), registry.active().version(), "the files on disk are active instead");
    assertFalse(Files.exists(probe()), "the planted rule ran");
  }

  @Test
  void aSimulationWithAMaliciousDrlIsRefusedBeforeItRuns() {
    registry.start();
    Simulation sim = new Simulation(registry, new DecisionInputs(store), TestRuleSets.params(), 10);
    Simulation.Result r = sim.run(null, maliciousDrl());
    assertFalse(r.accepted());
    assertTrue(r.messages().stream().anyMatch(m -> m.isError() && m.text().startsWith("line " + maliciousLine()
        + ", rule \"Write a file\": calls java.nio.file.Files.writeString")), () -> "messages: " + r.messages());
    assertFalse(Files.exists(probe()), "the refused rule ran");
  }
}
