package io.valuetier.cli;

import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import java.io.PrintStream;
import java.util.List;

/** What the decision commands share: printing validation messages and what became of a rule set. */
final class DecideSetup {
  private DecideSetup() {}

  static void print(List<ValidationMessage> messages, PrintStream out) {
    for (ValidationMessage m : messages) {
      out.println(m);
    }
  }

  /** Prints the outcome of a reload, start or rollback; returns the exit code (1 when refused). */
  static int printOutcome(RuleSetRegistry.RuleSetChange o, PrintStream out) {
    switch (o.reason()) {
      case "UNCHANGED" -> out.println("rule set " + o.version() + " is already active (the files did not change)");
      default -> {
        if (o.activated()) {
          out.println("rule set " + o.version() + " is now active (" + o.reason() + ")");
        } else {
          out.println("rule set " + o.version() + " refused: " + o.reason().replaceFirst("^REFUSED: ", ""));
        }
      }
    }
    List<ValidationMessage> shown = o.messages().stream().filter(m -> m.isError() || !o.activated()).toList();
    print(shown, out);
    if (o.tests() != null && !o.tests().passed()) {
      TestRulesCommand.printFailures(o.tests(), out);
    }
    return o.refused() ? 1 : 0;
  }

  /** Prints what became of the configured challenger (nothing when none is configured). */
  static void printChallenger(RuleSetRegistry registry, PrintStream out) {
    registry.challengerOutcome().ifPresent(o -> {
      if (o.activated()) {
        out.println("challenger rule set " + o.version() + " decides "
            + registry.challenger().map(c -> Math.round(c.share() * 1000) / 10.0 + "%").orElse("?")
            + " of the customers");
      } else if (o.refused()) {
        out.println("CHALLENGER REFUSED: " + o.reason().replaceFirst("^REFUSED: ", ""));
        print(o.messages().stream().filter(ValidationMessage::isError).toList(), out);
        if (o.tests() != null && !o.tests().passed()) {
          TestRulesCommand.printFailures(o.tests(), out);
        }
      }
    });
  }
}
