package io.valuetier.whatif;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a candidate rule set beside the active one on the last scored population (scores joined with customer facts
 * and recent contacts, as the batch reads them), with the batch's semantics including the run-level offer budget,
 * and reports the differences. Nothing is written: no decision, no trace, no contact.
 */
public final class Simulation {
  private final RuleSetRegistry registry;
  private final DecisionInputs inputs;
  private final GuardrailParameters params;
  private final int sampleSize;

  /** The candidate was refused (messages say why), or accepted with its impact (messages are warnings). */
  public record Result(boolean accepted, List<ValidationMessage> messages, Impact impact, String testSummary) {}

  public Simulation(RuleSetRegistry registry, DecisionInputs inputs, GuardrailParameters params, int sampleSize) {
    this.registry = registry;
    this.inputs = inputs;
    this.params = params;
    this.sampleSize = sampleSize;
  }

  /**
   * Simulates the active files with the candidate DMN and/or DRL text in place of the active ones: a candidate
   * replaces the active file of its kind when there is one of that kind, else it is added.
   */
  public Result run(String candidateDmn, String candidateDrl) {
    RuleSet active = registry.active();
    Map<String, String> files = new TreeMap<>(active.files().all());
    if (candidateDmn != null) {
      replace(files, RuleFiles.DMN_DIR, ".dmn", candidateDmn, "candidate.dmn");
    }
    if (candidateDrl != null) {
      replace(files, RuleFiles.RULES_DIR, ".drl", candidateDrl, "candidate.drl");
    }
    return run(RuleFiles.of(files));
  }

  /** Simulates a whole candidate rule set (for example a folder read with {@link RuleFiles#read}). */
  public Result run(RuleFiles candidateFiles) {
    RuleSetRegistry.Candidate c = RuleSetRegistry.check(candidateFiles, params);
    if (c.ruleSet() == null) {
      return new Result(false, c.messages(), null, c.summary());
    }
    RuleSet active = registry.active();
    List<DecisionInput> population = new ArrayList<>();
    Map<String, Integer> contacts =
        inputs.recentContacts(Instant.now().minus(Duration.ofDays(params.contactWindowDays())));
    inputs.readInputs(contacts, population::add);
    Instant at = Instant.now();
    List<Decision> before = new DecisionEngine(active, params).decideAll(population, at, e -> {});
    List<Decision> after = new DecisionEngine(c.ruleSet(), params).decideAll(population, at, e -> {});
    Map<String, Decision> afterById = new HashMap<>(after.size() * 2);
    for (Decision d : after) {
      afterById.put(d.customerId(), d);
    }
    ImpactBuilder b = new ImpactBuilder(active.version(), c.ruleSet().version(), sampleSize);
    for (Decision d : before) {
      Decision other = afterById.get(d.customerId());
      if (other != null) {
        b.add(d, other);
      }
    }
    List<ValidationMessage> warnings = c.messages().stream().filter(m -> !m.isError()).toList();
    return new Result(true, warnings, b.build(), c.summary());
  }

  private static void replace(Map<String, String> files, String dir, String ext, String content, String fallback) {
    List<String> same = files.keySet().stream().filter(k -> k.startsWith(dir + "/") && k.endsWith(ext)
        && k.indexOf('/', dir.length() + 1) < 0).toList();
    if (same.size() == 1) {
      files.put(same.getFirst(), content);
    } else {
      files.put(dir + "/" + fallback, content);
    }
  }
}
