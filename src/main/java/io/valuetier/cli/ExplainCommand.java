package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier explain CUSTOMER_ID}: the latest decision of a customer, in words. */
@Command(name = "explain", header = "Explains the latest decision for a customer.", mixinStandardHelpOptions = true,
    description = "Explains the latest decision for a customer: inputs, matched DMN rows with their reasons, guardrails.")
public final class ExplainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "CUSTOMER_ID")
  String customerId;

  @Option(names = "--json", description = "Print the stored trace as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Settings s = common.settings();
    try (Store store = common.openStore(s)) {
      DecisionLog decisions = DecideSettings.from(s).decisionLog(store);
      Optional<LoggedDecision> d = decisions.latest(customerId);
      if (d.isEmpty()) {
        System.err.println("no decision is stored for customer '" + customerId + "' (run `valuetier decide` first,"
            + " or the decision is older than valuetier.decide.trace.retention-days)");
        return 1;
      }
      if (json) {
        System.out.println(Json.pretty(d.get().fields()));
      } else {
        new Explainer(new RuleSetHistory(store)).explain(d.get()).forEach(System.out::println);
      }
      return 0;
    }
  }
}
