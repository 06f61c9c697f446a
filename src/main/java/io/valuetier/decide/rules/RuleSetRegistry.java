package io.valuetier.decide.rules;

import io.valuetier.decide.guardrails.GuardrailParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the active rule set and replaces it safely. A reload reads the files of {@code dmn/} and {@code rules/},
 * compiles and validates them and runs their test tables on the caller's thread while decisions go on with the active
 * version; only a version that passes everything is stored and swapped in, atomically, so every decision uses exactly
 * one version. A refused version changes nothing and comes back with its messages.
 *
 * <p>Rollback restores a stored version's files into {@code dmn/} and {@code rules/} and activates it: the files on disk
 * always match the active version, so a watcher or a restart does not bring the newer files back.
 */
public final class RuleSetRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSetRegistry.class);

  private final Path root;
  private final RuleSetHistory history;
  private final GuardrailParameters params;
  private final AtomicReference<RuleSet> active = new AtomicReference<>();
  private final ReentrantLock changes = new ReentrantLock();

  /** What a reload, start or rollback did. */
  public record Outcome(
      boolean activated, String version, String reason, List<ValidationMessage> messages, RuleTests.Report tests) {

    /** Whether the rule set was refused (messages or tests say why). */
    public boolean refused() {
      return !activated && reason.startsWith("REFUSED");
    }
  }

  /**
   * @param root the folder with {@code dmn/} and {@code rules/}
   * @param history where versions and activations are stored
   * @param params the guardrail parameters the test tables run with
   */
  public RuleSetRegistry(Path root, RuleSetHistory history, GuardrailParameters params) {
    this.root = root;
    this.history = history;
    this.params = params;
  }

  /** The active rule set; fails when none has been activated. */
  public RuleSet active() {
    RuleSet rs = active.get();
    if (rs == null) {
      throw new IllegalStateException("no active rule set: start() or reload() first");
    }
    return rs;
  }

  /** The active rule set, if any. */
  public Optional<RuleSet> current() {
    return Optional.ofNullable(active.get());
  }

  public Path root() {
    return root;
  }

  public RuleSetHistory history() {
    return history;
  }

  /**
   * Activates the stored active version (if any), then the files on disk if they differ and pass the gate. A refused
   * file set leaves the stored version active.
   */
  public Outcome start() {
    changes.lock();
    try {
      Optional<RuleSetHistory.Activation> stored = history.active();
      if (stored.isPresent()) {
        Optional<RuleFiles> files = history.load(stored.get().version());
        if (files.isPresent()) {
          RuleSetCompiler.Result r = RuleSetCompiler.compile(files.get());
          if (r.ok()) {
            active.set(r.ruleSet());
          } else {
            LOG.warn("the stored active rule set {} no longer compiles: {}", stored.get().version(), r.errors());
          }
        }
      }
      return reloadLocked("INITIAL");
    } finally {
      changes.unlock();
    }
  }

  /** Reads the files again and activates them if they changed and pass validation and their tests. */
  public Outcome reload() {
    changes.lock();
    try {
      return reloadLocked("RELOAD");
    } finally {
      changes.unlock();
    }
  }

  private Outcome reloadLocked(String reason) {
    RuleFiles files = RuleFiles.read(root);
    RuleSet current = active.get();
    if (current != null && current.version().equals(files.id())) {
      return new Outcome(false, current.version(), "UNCHANGED", current.messages(), null);
    }
    return gateAndActivate(files, current == null && history.active().isEmpty() ? "INITIAL" : reason, null);
  }

  /** Goes back to a stored version: restores its files and activates it (after the same gate). */
  public Outcome rollback(String version) {
    changes.lock();
    try {
      RuleFiles files =
          history.load(version).orElseThrow(() -> new IllegalArgumentException(
              "no stored rule-set version '" + version + "': see `valuetier rules history`"));
      Outcome o = gateAndActivate(files, "ROLLBACK", root);
      return o;
    } finally {
      changes.unlock();
    }
  }

  private Outcome gateAndActivate(RuleFiles files, String reason, Path restoreTo) {
    Candidate c = check(files, params);
    if (!c.passed()) {
      LOG.warn("rule set {} refused: {}", files.id(), c.summary());
      String version = active.get() == null ? null : active.get().version();
      return new Outcome(false, files.id(), "REFUSED: " + c.summary() + (version == null ? ""
          : "; version " + version + " stays active"), c.messages(), c.tests());
    }
    if (restoreTo != null) {
      backUp(restoreTo);
      files.writeTo(restoreTo);
    }
    history.save(files, c.summary());
    history.activate(files.id(), reason, c.summary());
    active.set(c.ruleSet());
    LOG.info("rule set {} active ({})", files.id(), reason);
    return new Outcome(true, files.id(), reason, c.messages(), c.tests());
  }

  /**
   * Copies the rule files on disk to {@code data/runtime/rule-backups/TIME-VERSION/} before a rollback overwrites them:
   * files that were never activated (work in progress, a refused change) are not in the store.
   */
  private static void backUp(Path root) {
    RuleFiles current = RuleFiles.read(root);
    if (current.isEmpty()) {
      return;
    }
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    Path dir = root.resolve("data/runtime/rule-backups/" + stamp + "-" + current.id());
    current.writeTo(dir);
    LOG.info("the rule files before the rollback are kept in {}", dir);
  }

  /** A rule set checked without activating it: compiled, validated and tested. */
  public record Candidate(RuleSet ruleSet, List<ValidationMessage> messages, RuleTests.Report tests) {
    public boolean passed() {
      return ruleSet != null && tests != null && tests.passed();
    }

    /** One line: why it passed or was refused. */
    public String summary() {
      if (ruleSet == null) {
        long errors = messages.stream().filter(ValidationMessage::isError).count();
        return errors + " validation error(s)";
      }
      if (!tests.passed()) {
        return tests.failed() + " of " + tests.cases() + " test case(s) failed"
            + (tests.problems().isEmpty() ? "" : ", " + tests.problems().size() + " unreadable test table(s)");
      }
      return "valid, " + tests.cases() + " test cases passed, " + tests.uncoveredRules().size() + " rule(s) uncovered";
    }
  }

  /**
   * Compiles, validates and tests a rule set from any folder without activating it: the base of a what-if run with a
   * candidate beside the active version.
   */
  public static Candidate check(RuleFiles files, GuardrailParameters params) {
    RuleSetCompiler.Result r = RuleSetCompiler.compile(files);
    if (!r.ok()) {
      return new Candidate(null, r.messages(), null);
    }
    RuleTests.Report report = RuleTests.run(r.ruleSet(), params);
    List<ValidationMessage> messages = new ArrayList<>(r.messages());
    return new Candidate(r.ruleSet(), messages, report);
  }
}
