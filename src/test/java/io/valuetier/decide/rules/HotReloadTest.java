package io.valuetier.decide.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.Inputs;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.testing.TestStores;
import io.valuetier.store.Store;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: changed files are validated, tested and swapped in atomically; failing files are refused. */
class HotReloadTest {
  private static final String DMN = "dmn/customer-tiering.dmn";
  private static final String DRL = "rules/guardrails.drl";
  /** Platinum from the 90th percentile instead of the 95th (Gold shrinks to match): a valid, tested change. */
  private static final String[][] PLATINUM_FROM_90 = {
    {"<inputEntry id=\"vt-r4-c4\"><text>&gt;= 95</text>", "<inputEntry id=\"vt-r4-c4\"><text>&gt;= 90</text>"},
    {"<inputEntry id=\"vt-r5-c4\"><text>[80..95)</text>", "<inputEntry id=\"vt-r5-c4\"><text>[80..90)</text>"}
  };

  /** A comparison naming a variable that does not exist: the engine compiles it and fails at every evaluation. */
  private static final String[] UNKNOWN_NAME = {
    "<inputEntry id=\"vt-r3-c2\"><text>&gt;= 90</text>", "<inputEntry id=\"vt-r3-c2\"><text>&gt;= ninety</text>"
  };

  @TempDir Path root;
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

  private void edit(String file, String[]... replacements) throws IOException {
    Path p = root.resolve(file);
    String text = Files.readString(p);
    for (String[] r : replacements) {
      assertTrue(text.contains(r[0]), "the file no longer contains " + r[0]);
      text = text.replace(r[0], r[1]);
    }
    Files.writeString(p, text);
  }

  @Test
  void aChangedRuleSetIsActivatedAndRecordedWithItsVersionAndTime() throws IOException {
    RuleSetRegistry.RuleSetChange first = registry.start();
    assertTrue(first.activated());
    assertEquals("INITIAL", first.reason());
    assertEquals("UNCHANGED", registry.reload().reason());
    edit(DMN, PLATINUM_FROM_90);
    RuleSetRegistry.RuleSetChange second = registry.reload();
    assertTrue(second.activated(), () -> second.reason() + " " + second.messages());
    assertNotEquals(first.version(), second.version());
    assertEquals(second.version(), registry.active().version());
    List<RuleSetHistory.Activation> history = registry.history().activations();
    assertEquals(List.of(second.version(), first.version()), history.stream().map(RuleSetHistory.Activation::version).toList());
    assertEquals("RELOAD", history.get(0).reason());
  }

  @Test
  void aFileWithAFeelErrorIsRefusedWithItsMessagesAndTheActiveVersionStays() throws IOException {
    String active = registry.start().version();
    edit(DMN, new String[] {"<text>[50..80)</text>", "<text>[50..80</text>"});
    RuleSetRegistry.RuleSetChange o = registry.reload();
    assertTrue(o.refused());
    assertTrue(o.messages().stream().anyMatch(m -> m.isError() && m.row() == 6 && "Value Percentile".equals(m.column())),
        o.messages()::toString);
    assertEquals(active, registry.active().version());
    assertEquals(1, registry.history().activations().size());
  }

  @Test
  void aCellNamingAnUnknownVariableIsRefusedAndTheActiveVersionStaysAndDecides() throws IOException {
    String active = registry.start().version();
    edit(DMN, UNKNOWN_NAME);
    RuleSetRegistry.RuleSetChange o = registry.reload();
    assertTrue(o.refused(), o::reason);
    assertTrue(o.messages().stream().anyMatch(m -> m.isError() && DMN.equals(m.file())
        && "Value Tier".equals(m.decision()) && m.row() == 3 && "Tenure Days".equals(m.column())
        && m.text().contains("Unknown variable 'ninety'")),
        o.messages()::toString);
    assertTrue(o.reason().contains("validation error") && o.reason().contains(active + " stays active"), o.reason());
    assertEquals(active, registry.active().version());
    assertEquals(1, registry.history().activations().size());
    Decision d = new DecisionService(registry, null, TestRuleSets.params()).decide(Inputs.silver("s1"));
    assertEquals(active, d.ruleSetVersion());
    assertEquals("Silver", d.valueTier());
  }

  @Test
  void aStoredVersionNamingAnUnknownVariableIsNotFollowedAndTheActiveVersionStays() {
    // what a Kafka worker does when a version is announced: the stored files pass the gate again before they decide
    String active = registry.start().version();
    Map<String, String> files = new TreeMap<>(TestRuleSets.shipped().files().all());
    files.put(DMN, files.get(DMN).replace(UNKNOWN_NAME[0], UNKNOWN_NAME[1]));
    RuleFiles stored = RuleFiles.of(files);
    registry.history().save(stored, "stored before the gate resolved the names of comparisons");
    RuleSetRegistry.RuleSetChange o = registry.follow(stored.id());
    assertTrue(o.refused(), o::reason);
    assertTrue(o.messages().stream().anyMatch(m -> m.isError() && m.row() == 3 && "Tenure Days".equals(m.column())
        && m.text().contains("Unknown variable 'ninety'")), o.messages()::toString);
    assertEquals(active, registry.active().version());
  }

  @Test
  void aRuleChangeThatBreaksATestCaseIsRefused() throws IOException {
    String active = registry.start().version();
    // A valid model whose Silver band no longer matches the analysts' expectations.
    edit(DMN, new String[] {"<outputEntry id=\"vt-r6-o1\"><text>\"Silver\"</text>",
        "<outputEntry id=\"vt-r6-o1\"><text>\"Bronze\"</text>"});
    RuleSetRegistry.RuleSetChange o = registry.reload();
    assertTrue(o.refused(), o::reason);
    assertTrue(o.tests().failed() > 0);
    assertTrue(o.reason().contains("test case(s) failed"), o.reason());
    assertEquals(active, registry.active().version());
  }

  @Test
  void rollbackRestoresTheFilesOfTheVersionAndActivatesIt() throws IOException {
    String v1 = registry.start().version();
    String original = Files.readString(root.resolve(DMN));
    edit(DMN, PLATINUM_FROM_90);
    String v2 = registry.reload().version();
    RuleSetRegistry.RuleSetChange back = registry.rollback(v1.substring(0, 8));
    assertTrue(back.activated());
    assertEquals("ROLLBACK", back.reason());
    assertEquals(v1, registry.active().version());
    assertEquals(original, Files.readString(root.resolve(DMN)));
    assertEquals("UNCHANGED", registry.reload().reason(), "the restored files are the active version");
    try (var backups = Files.list(root.resolve("data/runtime/rule-backups"))) {
      Path kept = backups.filter(p -> p.getFileName().toString().endsWith(v2)).findFirst().orElseThrow();
      assertTrue(Files.readString(kept.resolve(DMN)).contains("&gt;= 90"), "the overwritten files are kept");
    }
    assertEquals(List.of(v1, v2, v1), registry.history().activations().stream().map(RuleSetHistory.Activation::version).toList());
  }

  @Test
  void aReloadUnderConcurrentDecisionsFailsNoDecisionAndMixesNoVersions() throws Exception {
    String v1 = registry.start().version();
    // Version 2 changes the DMN (Platinum from the 90th percentile) and the DRL (the consent reason's words).
    edit(DMN, PLATINUM_FROM_90);
    edit(DRL, new String[] {"no marketing consent on file", "consent missing in version two"});
    DecisionService service = new DecisionService(registry, null, TestRuleSets.params());
    // Percentile 92, no consent: version 1 says Gold, version 2 Platinum; each with its own consent reason.
    DecisionInput in = Inputs.with(Inputs.customer("c", 1500, 92, 0.8), false, BigDecimal.ZERO, false, 0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong decisions = new AtomicLong();
    Map<String, AtomicLong> perVersion = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicReference<String> v2 = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          try {
            Decision d = service.decide(in);
            decisions.incrementAndGet();
            perVersion.computeIfAbsent(d.ruleSetVersion(), k -> new AtomicLong()).incrementAndGet();
            boolean one = d.ruleSetVersion().equals(v1);
            String tier = one ? "Gold" : "Platinum";
            String reason = one ? "no marketing consent on file" : "consent missing in version two";
            if (!tier.equals(d.valueTier()) || !d.reasons().contains(reason)) {
              problems.add("version " + d.ruleSetVersion() + " gave " + d.valueTier() + " / " + d.reasons());
            }
          } catch (RuntimeException e) {
            problems.add("failed: " + e);
          }
        }
      }));
    }
    Thread.sleep(300);
    long before = decisions.get();
    RuleSetRegistry.RuleSetChange o = registry.reload(); // compiles, validates and tests while the threads decide
    v2.set(o.version());
    Thread.sleep(300);
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertTrue(o.activated(), () -> o.reason() + " " + o.messages());
    assertEquals(List.of(), problems);
    assertTrue(before > 0 && decisions.get() > before, "decisions went on during the reload");
    assertTrue(perVersion.get(v1).get() > 0 && perVersion.get(v2.get()).get() > 0, perVersion::toString);
  }

  @Test
  void theWatcherActivatesAChangedFileByItself() throws Exception {
    String v1 = registry.start().version();
    List<RuleSetRegistry.RuleSetChange> seen = new CopyOnWriteArrayList<>();
    try (RuleSetWatcher w = new RuleSetWatcher(registry, 200, seen::add)) {
      edit(DMN, PLATINUM_FROM_90);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (registry.active().version().equals(v1) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    assertNotEquals(v1, registry.active().version());
    assertFalse(seen.isEmpty());
  }
}
