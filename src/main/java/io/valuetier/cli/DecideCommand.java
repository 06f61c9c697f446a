package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.model.picks.PicksService;
import io.valuetier.model.picks.PicksSettings;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier decide}: decides for every scored customer. */
@Command(
    name = "decide", header = "Decides tier, action and service level for every scored customer.",
    mixinStandardHelpOptions = true,
    description = {
      "Decides tier, marketing action and service level for every scored customer (scores joined with customer facts),",
      "applies the guardrails (consent, fatigue, holds, offer budget by descending predicted value) and stores each",
      "decision with its trace. Uses the active rule set; changed rule files are validated and tested first."
    })
public final class DecideCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--json", description = "Print one JSON object (decisions, decisions_per_second, ...).")
  boolean json;

  @Option(paramLabel = "N", names = "--threads", description = "Worker threads (default: valuetier.decide.threads, 0 = one per core).")
  Integer threads;

  @Option(names = "--dry-run", description = "Decide without storing decisions, trace or contacts (what-if).")
  boolean dryRun;

  @Override
  public Integer call() throws InterruptedException {
    Settings s = common.settings();
    try (Store store = common.openStore(s)) {
      DecideSettings decide = DecideSettings.from(s);
      RuleSetRegistry registry = RuleSetRegistry.fromSettings(decide, store);
      RuleSetRegistry.RuleSetChange o = registry.start();
      if (o.refused() || o.activated()) {
        DecideSetup.printOutcome(o, json ? System.err : System.out);
      }
      DecideSetup.printChallenger(registry, json ? System.err : System.out);
      if (registry.current().isEmpty()) {
        System.err.println("no valid rule set to decide with: fix the messages above and run again");
        return 1;
      }
      DecisionEngine engine =
          DecisionEngine.of(registry, decide.guardrails(), decide.controlGroups());
      PicksSettings picks = PicksSettings.from(s);
      if (picks.enabled()) {
        engine.withPicks(ids -> PicksService.stored(store, ids), picks.maxProducts());
      }
      DecisionLog decisions = decide.decisionLog(store);
      BatchDecider batch = new BatchDecider(engine, decisions, BatchDecider.Options.from(decide, threads, dryRun));
      long total = store.queryLong("SELECT COUNT(*) FROM scores");
      BatchDecider.Report r;
      try (Progress p = Progress.start("decide", () -> total == 0 ? 0 : (double) batch.decided() / total,
          () -> String.format(Locale.ROOT, "%,d decisions", batch.decided()), json)) {
        r = batch.run();
      }
      print(r, json, System.out);
      return r.failed() > 0 ? 1 : 0;
    }
  }

  static Map<String, Object> asJson(BatchDecider.Report r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("decisions", r.decisions());
    o.put("decisions_per_second", Math.round(r.decisionsPerSecond()));
    o.put("failed", r.failed());
    o.put("seconds", r.seconds());
    o.put("rule_set", r.ruleSet());
    o.put("run_id", r.runId());
    o.put("per_tier", r.perTier());
    o.put("per_action", r.perAction());
    o.put("guardrail_interventions", r.guardrailInterventions());
    o.put("contacts", r.contacts());
    o.put("offer_budget", r.budget());
    o.put("offer_budget_spent", r.budgetSpent());
    o.put("offers_granted", r.offersGranted());
    o.put("offers_refused", r.offersRefused());
    o.put("failures", r.failures());
    o.put("phase_seconds", r.phaseSeconds());
    o.put("per_rule_set", r.perRuleSet());
    o.put("control_group", r.controlGroup());
    return o;
  }

  static void print(BatchDecider.Report r, boolean json, PrintStream out) {
    if (json) {
      out.println(Json.write(asJson(r)));
      return;
    }
    out.printf(Locale.ROOT, "Decided %,d customers in %.1f s (%,.0f decisions/s) with rule set %s%s%n", r.decisions(),
        r.seconds(), r.decisionsPerSecond(), r.ruleSet(), r.runId() == 0 ? " (dry run: nothing stored)"
            : ", run " + r.runId());
    if (r.failed() > 0) {
      out.printf(Locale.ROOT, "  FAILED    %,d customers could not be decided, e.g.:%n", r.failed());
      r.failures().stream().limit(5).forEach(f -> out.println("            " + f));
    }
    out.println("  per tier:");
    r.perTier().forEach((k, v) -> out.printf(Locale.ROOT, "    %-22s %,10d%n", k, v));
    out.println("  per action:");
    r.perAction().forEach((k, v) -> out.printf(Locale.ROOT, "    %-22s %,10d%n", k, v));
    if (r.perRuleSet() != null && r.perRuleSet().size() > 1) {
      out.println("  per rule set (role version):");
      r.perRuleSet().forEach((k, v) -> out.printf(Locale.ROOT, "    %-40s %,10d%n", k, v));
    }
    out.println("  guardrail interventions:");
    if (r.guardrailInterventions().isEmpty()) {
      out.println("    none");
    }
    r.guardrailInterventions().forEach((k, v) -> out.printf(Locale.ROOT, "    %-22s %,10d%n", k, v));
    if (r.controlGroup() > 0) {
      out.printf(Locale.ROOT, "  control groups: %,d customers held out of their action (no contact, no budget)%n",
          r.controlGroup());
    }
    out.printf(Locale.ROOT, "  contacts  %,d; offers granted %,d, refused %,d; budget spent %s of %s%n", r.contacts(),
        r.offersGranted(), r.offersRefused(), r.budgetSpent(), r.budget() == null ? "unlimited" : r.budget());
  }
}
