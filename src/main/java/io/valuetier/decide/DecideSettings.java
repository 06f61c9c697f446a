package io.valuetier.decide;

import io.valuetier.config.Settings;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.store.Store;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code valuetier.decide.*} settings (and the control groups of {@code valuetier.feedback.control.*}), checked
 * when read: a bad value stops the run with the key, the value and where it came from. The main job, the API, the
 * decision commands and the simulation all start from this record.
 *
 * @param ruleSetDir the folder with dmn/ and rules/ ({@code rule-set-dir}, relative to the installation folder)
 * @param guardrails the numbers the guardrails use (fatigue, offer budget)
 * @param challenger the challenger rule set and its share (off when no folder is set)
 * @param controlGroups the share of customers held out of each action
 * @param threads worker threads of a batch run; 0 = one per core
 * @param batchSize customers per work unit of a batch run
 * @param traceRetention decisions and contact log entries older than this are deleted at the start of a batch run
 * @param insertRows rows per multi-row INSERT when writing decisions
 * @param watchDebounceMs poll interval and quiet time of the rule file watcher
 */
public record DecideSettings(
    Path ruleSetDir,
    GuardrailParameters guardrails,
    Challenger.Config challenger,
    ControlGroups controlGroups,
    int threads,
    int batchSize,
    Duration traceRetention,
    int insertRows,
    long watchDebounceMs) {

  /** Reads and checks the settings. */
  public static DecideSettings from(Settings s) {
    return new DecideSettings(
        ruleSetDir(s),
        GuardrailParameters.from(s),
        Challenger.Config.from(s),
        ControlGroups.from(s),
        s.intValue("valuetier.decide.threads", 0, 256),
        s.intValue("valuetier.decide.batch-size", 1, 1_000_000),
        Duration.ofDays(s.intValue("valuetier.decide.trace.retention-days", 1, 36_500)),
        s.intValue("valuetier.decide.insert-rows", 1, 10_000),
        s.longValue("valuetier.decide.watch.debounce-ms", 10, 60_000));
  }

  /**
   * The folder with dmn/ and rules/ alone ({@code valuetier.decide.rule-set-dir}, relative to the installation), for
   * the commands that check rule files without deciding.
   */
  public static Path ruleSetDir(Settings s) {
    return s.home().resolve(s.get("valuetier.decide.rule-set-dir", ".")).normalize();
  }

  /** The decision log: {@link #insertRows} rows per multi-row insert. */
  public DecisionLog decisionLog(Store store) {
    return new DecisionLog(store, insertRows);
  }
}
