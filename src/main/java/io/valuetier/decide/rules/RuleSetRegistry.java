package io.valuetier.decide.rules;

import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 *
 * <p>One job: which rule sets decide (the champion and, for its share of the customers, the challenger) and the one
 * gate and lock through which either of them changes.
 */
public final class RuleSetRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSetRegistry.class);

  private final Path root;
  private final RuleSetHistory history;
  private final GuardrailParameters params;
  private final AtomicReference<RuleSet> active = new AtomicReference<>();
  private final ReentrantLock changes = new ReentrantLock();
  private volatile Challenger.Config challengerConfig = Challenger.Config.none();
  private final AtomicReference<Challenger> challenger = new AtomicReference<>();
  private volatile RuleSetChange challengerOutcome;

  /** What a reload, start or rollback did. */
  public record RuleSetChange(
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

  /**
   * The registry the settings describe, as the main job, the API and the decision commands use it: the rule files in
   * {@link DecideSettings#ruleSetDir}, the history in the store, the guardrail parameters and the configured
   * challenger. Nothing is activated until {@link #start}.
   */
  public static RuleSetRegistry fromSettings(DecideSettings s, Store store) {
    return championOnly(s, store).withChallenger(s.challenger());
  }

  /** As {@link #fromSettings} without the challenger, for comparing with the champion alone (simulation). */
  public static RuleSetRegistry championOnly(DecideSettings s, Store store) {
    return new RuleSetRegistry(s.ruleSetDir(), new RuleSetHistory(store), s.guardrails());
  }

  /** The active rule set; fails when none has been activated. */
  public RuleSet active() {
    RuleSet rs = active.get();
    if (rs == null) {
      throw new IllegalStateException("no active rule set: start() or reload() first");
    }
    return rs;
  }

  /**
   * Configures a challenger rule set (settings {@code valuetier.decide.challenger.*}); it is loaded by {@link #start}
   * and every {@link #reload}, through the same gate as the champion.
   */
  public RuleSetRegistry withChallenger(Challenger.Config config) {
    this.challengerConfig = config == null ? Challenger.Config.none() : config;
    return this;
  }

  /** The challenger that decides its share of the customers, if one is configured and passed the gate. */
  public Optional<Challenger> challenger() {
    return Optional.ofNullable(challenger.get());
  }

  /** The challenger's folder, when one is configured. */
  public Optional<Path> challengerDir() {
    Challenger.Config c = challengerConfig;
    return c.enabled() ? Optional.of(c.dir()) : Optional.empty();
  }

  /** Where the challenger's files are and the share it decides (disabled when none is configured). */
  public Challenger.Config challengerConfig() {
    return challengerConfig;
  }

  /** What the latest load of the challenger did (empty when no challenger is configured). */
  public Optional<RuleSetChange> challengerOutcome() {
    return Optional.ofNullable(challengerOutcome);
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
  public RuleSetChange start() {
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
      RuleSetChange o = reloadLocked("INITIAL");
      loadChallengerLocked();
      return o;
    } finally {
      changes.unlock();
    }
  }

  /** Reads the files again and activates them if they changed and pass validation and their tests. */
  public RuleSetChange reload() {
    changes.lock();
    try {
      RuleSetChange o = reloadLocked("RELOAD");
      loadChallengerLocked();
      return o;
    } finally {
      changes.unlock();
    }
  }

  private RuleSetChange reloadLocked(String reason) {
    RuleFiles files = RuleFiles.read(root);
    RuleSet current = active.get();
    if (current != null && current.version().equals(files.id())) {
      return new RuleSetChange(false, current.version(), "UNCHANGED", current.messages(), null);
    }
    return gateAndActivate(files, current == null && history.active().isEmpty() ? "INITIAL" : reason, null);
  }

  /**
   * Reads the challenger's folder and puts it through the champion's gate (validation, compilation, analyst tests). A
   * challenger that passes is stored in the history (so that its decisions can be explained) without becoming the
   * active version; one that is refused is dropped, loudly, and every customer is decided by the champion.
   */
  private void loadChallengerLocked() {
    Challenger.Config cfg = challengerConfig;
    if (!cfg.enabled()) {
      challenger.set(null);
      challengerOutcome = null;
      return;
    }
    RuleFiles files;
    try {
      files = RuleFiles.read(cfg.dir());
    } catch (RuntimeException e) {
      refuseChallenger(cfg, null, "REFUSED: cannot read the challenger folder " + cfg.dir() + " (setting "
          + Challenger.DIR_KEY + "): " + e.getMessage(), List.of(), null);
      return;
    }
    Challenger current = challenger.get();
    if (current != null && current.ruleSet().version().equals(files.id()) && current.share() == cfg.share()
        && current.salt().equals(cfg.salt())) {
      challengerOutcome = new RuleSetChange(false, files.id(), "UNCHANGED", current.ruleSet().messages(), null);
      return;
    }
    Candidate c = check(files, params);
    if (!c.passed()) {
      refuseChallenger(cfg, files.id(), "REFUSED: " + c.summary(), c.messages(), c.tests());
      return;
    }
    history.save(files, "challenger: " + c.summary());
    challenger.set(new Challenger(c.ruleSet(), cfg.share(), cfg.salt()));
    challengerOutcome = new RuleSetChange(true, files.id(), "CHALLENGER", c.messages(), c.tests());
    LOG.info("challenger rule set {} from {} decides {}% of the customers", files.id(), cfg.dir(),
        Math.round(cfg.share() * 1000) / 10.0);
  }

  private void refuseChallenger(
      Challenger.Config cfg, String version, String reason, List<ValidationMessage> messages, RuleTests.Report tests) {
    challenger.set(null);
    String why = reason + "; the challenger in " + cfg.dir() + " (" + Challenger.DIR_KEY
        + ") decides nobody: every customer is decided by the champion";
    challengerOutcome = new RuleSetChange(false, version, why, messages, tests);
    LOG.error("challenger rule set {}", why);
    for (ValidationMessage m : messages) {
      if (m.isError()) {
        LOG.error("challenger: {}", m);
      }
    }
  }

  /**
   * Follows a version another instance activated (announced on the Kafka control topic): loads it from the stored
   * history and makes it active here after the same gate, without writing the rule files or recording a new
   * activation (the announcing instance did both). Unchanged when it is already active.
   *
   * @throws IllegalArgumentException when the store has no such version
   */
  public RuleSetChange follow(String version) {
    changes.lock();
    try {
      RuleSet current = active.get();
      if (current != null && current.version().equals(version)) {
        return new RuleSetChange(false, version, "UNCHANGED", current.messages(), null);
      }
      RuleFiles files =
          history.load(version).orElseThrow(() -> new IllegalArgumentException(
              "no stored rule-set version '" + version + "': see `valuetier rules history`"));
      Candidate c = check(files, params);
      if (!c.passed()) {
        return new RuleSetChange(false, version, "REFUSED: " + c.summary(), c.messages(), c.tests());
      }
      active.set(c.ruleSet());
      LOG.info("rule set {} active (FOLLOW)", version);
      return new RuleSetChange(true, version, "FOLLOW", c.messages(), c.tests());
    } finally {
      changes.unlock();
    }
  }

  /** Goes back to a stored version: restores its files and activates it (after the same gate). */
  public RuleSetChange rollback(String version) {
    return rollback(version, null, null);
  }

  /** As {@link #rollback(String)}, recording who asked for it and their message (the workbench's Rollback). */
  public RuleSetChange rollback(String version, String author, String message) {
    changes.lock();
    try {
      RuleFiles files =
          history.load(version).orElseThrow(() -> new IllegalArgumentException(
              "no stored rule-set version '" + version + "': see `valuetier rules history`"));
      return gateAndActivate(files, "ROLLBACK", root, author, message);
    } finally {
      changes.unlock();
    }
  }

  /** A deploy prepared on a version that is no longer the active one. */
  public static final class BaseChanged extends RuntimeException {
    private final transient Optional<RuleSetHistory.Activation> latest;

    BaseChanged(String base, Optional<RuleSetHistory.Activation> latest) {
      super("the base changed: " + base + " is no longer the active version");
      this.latest = latest;
    }

    /** The activation that made the current version active, when recorded. */
    public Optional<RuleSetHistory.Activation> latest() {
      return latest;
    }
  }

  /**
   * Deploys edited files (the workbench): when {@code base}, the version the analyst started from, is still the active
   * one, the files go through the same gate as a reload; refused, nothing is written and the active version stays;
   * passed, they are written into the rule-set folder (file by file, each replaced atomically, under the lock a
   * watcher's reload also takes, so it never reads a half-written set), stored, activated and recorded with
   * {@code author} and {@code message}.
   *
   * @throws BaseChanged when another version became active since {@code base}
   */
  public RuleSetChange deploy(RuleFiles files, String base, String author, String message) {
    changes.lock();
    try {
      RuleSet current = active.get();
      if (current == null || !current.version().equals(base)) {
        throw new BaseChanged(base, history.active());
      }
      if (current.version().equals(files.id())) {
        return new RuleSetChange(false, current.version(), "UNCHANGED", current.messages(), null);
      }
      return gateAndActivate(files, "DEPLOY", root, author, message);
    } finally {
      changes.unlock();
    }
  }

  /**
   * Deploys edited files as the challenger (the workbench's "Deploy as challenger"): when {@code base}, the champion
   * version the analyst started from, is still active, the files go through the champion's gate; refused, nothing is
   * written and the running challenger (if any) stays; passed, the challenger's folder is backed up, the files are
   * written into it (each replaced atomically, under the lock the watcher's reload takes), stored, and the challenger
   * replaced for its configured share. The history records it with reason {@value RuleSetHistory#CHALLENGER}, which
   * {@link RuleSetHistory#active()} never takes for the champion.
   *
   * @throws BaseChanged when another champion version became active since {@code base}
   * @throws IllegalStateException when no challenger folder is configured ({@value Challenger#DIR_KEY})
   */
  public RuleSetChange deployChallenger(RuleFiles files, String base, String author, String message) {
    changes.lock();
    try {
      Challenger.Config cfg = challengerConfig;
      if (!cfg.enabled()) {
        throw new IllegalStateException("no challenger is configured: set " + Challenger.DIR_KEY + " (a folder) and "
            + Challenger.SHARE_KEY + " (above 0) and restart");
      }
      RuleSet current = active.get();
      if (current == null || !current.version().equals(base)) {
        throw new BaseChanged(base, history.active());
      }
      Challenger running = challenger.get();
      String stays = running == null ? "; no challenger runs: every customer is decided by the champion"
          : "; challenger " + running.ruleSet().version() + " stays";
      if (running != null && running.ruleSet().version().equals(files.id())) {
        return new RuleSetChange(false, files.id(), "UNCHANGED", running.ruleSet().messages(), null);
      }
      Candidate c = check(files, params);
      if (!c.passed()) {
        LOG.warn("challenger rule set {} refused: {}", files.id(), c.summary());
        return new RuleSetChange(false, files.id(), "REFUSED: " + c.summary() + stays, c.messages(), c.tests());
      }
      backUp(cfg.dir(), root, "challenger-");
      files.writeTo(cfg.dir());
      history.save(files, "challenger: " + c.summary());
      history.activate(files.id(), RuleSetHistory.CHALLENGER, "decides " + percent(cfg.share()) + " of the customers; "
          + c.summary(), author, message);
      challenger.set(new Challenger(c.ruleSet(), cfg.share(), cfg.salt()));
      RuleSetChange o = new RuleSetChange(true, files.id(), RuleSetHistory.CHALLENGER, c.messages(), c.tests());
      challengerOutcome = o;
      LOG.info("challenger rule set {} deployed into {}, decides {} of the customers", files.id(), cfg.dir(),
          percent(cfg.share()));
      return o;
    } finally {
      changes.unlock();
    }
  }

  /** A share as people read it: 0.1 is "10%", 0.125 "12.5%". */
  public static String percent(double share) {
    double p = Math.round(share * 1000) / 10.0;
    return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
  }

  private RuleSetChange gateAndActivate(RuleFiles files, String reason, Path restoreTo) {
    return gateAndActivate(files, reason, restoreTo, null, null);
  }

  private RuleSetChange gateAndActivate(
      RuleFiles files, String reason, Path restoreTo, String author, String message) {
    Candidate c = check(files, params);
    if (!c.passed()) {
      LOG.warn("rule set {} refused: {}", files.id(), c.summary());
      String version = active.get() == null ? null : active.get().version();
      return new RuleSetChange(false, files.id(), "REFUSED: " + c.summary() + (version == null ? ""
          : "; version " + version + " stays active"), c.messages(), c.tests());
    }
    if (restoreTo != null) {
      backUp(restoreTo, restoreTo, "");
      files.writeTo(restoreTo);
    }
    history.save(files, c.summary());
    history.activate(files.id(), reason, c.summary(), author, message);
    active.set(c.ruleSet());
    LOG.info("rule set {} active ({})", files.id(), reason);
    return new RuleSetChange(true, files.id(), reason, c.messages(), c.tests());
  }

  /**
   * Copies the rule files in {@code from} to {@code data/runtime/rule-backups/TIME-PREFIXVERSION/} under {@code root}
   * before a rollback or a deploy overwrites them: files that were never activated (work in progress, a refused change)
   * are not in the store.
   */
  private static void backUp(Path from, Path root, String prefix) {
    RuleFiles current = Files.isDirectory(from) ? RuleFiles.read(from) : null;
    if (current == null || current.isEmpty()) {
      return;
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC).format(Instant.now());
    Path dir = root.resolve("data/runtime/rule-backups/" + stamp + "-" + prefix + current.id());
    current.writeTo(dir);
    LOG.info("the rule files as they were before this change are kept in {}", dir);
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
