package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleSetWatcher;
import io.valuetier.feedback.RuleSetComparison;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code valuetier rules reload|history|rollback|watch}: versions of the rule set. */
@Command(
    name = "rules", header = "Lists, reloads, compares and rolls back rule-set versions.",
    mixinStandardHelpOptions = true,
    description = {
      "Rule-set versions: each active version has an id (content hash of dmn/ and rules/) and an activation time.",
      "A rollback restores that version's files into dmn/ and rules/ and activates it."
    },
    subcommands = {
      RulesCommand.Reload.class,
      RulesCommand.History.class,
      RulesCommand.Rollback.class,
      RulesCommand.Watch.class,
      RulesCommand.Compare.class
    })
public final class RulesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Validates, tests and activates the current files. */
  @Command(name = "reload", mixinStandardHelpOptions = true,
      description = "Validates and tests dmn/ and rules/ and activates them if they pass; else the active version stays.")
  public static final class Reload implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        RuleSetRegistry registry = RuleSetRegistry.fromSettings(DecideSettings.from(s), store);
        int code = DecideSetup.printOutcome(registry.start(), System.out);
        DecideSetup.printChallenger(registry, System.out);
        return code;
      }
    }
  }

  /** Lists activations. */
  @Command(name = "history", mixinStandardHelpOptions = true, description = "Lists the activated versions, newest first.")
  public static final class History implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        List<RuleSetHistory.Activation> all = new RuleSetHistory(store).activations();
        if (json) {
          System.out.println(Json.write(all));
          return 0;
        }
        if (all.isEmpty()) {
          System.out.println("no rule set has been activated yet: run `valuetier rules reload`");
        }
        // the newest champion record is the active version; a CHALLENGER record (deployed as the challenger from the
        // workbench) never is, and the newest of those is the challenger deployed last
        boolean first = true;
        boolean firstChallenger = true;
        for (RuleSetHistory.Activation a : all) {
          String by = a.author() == null ? "" : "  by " + a.author()
              + (a.message() == null || a.message().isBlank() ? "" : ": \"" + a.message() + "\"");
          String mark = "";
          if (a.challenger()) {
            mark = firstChallenger ? "  <- challenger deployed last" : "";
            firstChallenger = false;
          } else {
            mark = first ? "  <- active" : "";
            first = false;
          }
          System.out.printf("%s  %-16s  %-8s  %s%s%s%n", a.activatedAt(), a.version(), a.reason(),
              a.note() == null ? "" : a.note(), by, mark);
        }
        return 0;
      }
    }
  }

  /** Goes back to a stored version. */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Restores the files of VERSION into dmn/ and rules/ and activates it (after validation and tests).")
  public static final class Rollback implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "VERSION", description = "A version id from `rules history` (a unique prefix is enough).")
    String version;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        return DecideSetup.printOutcome(RuleSetRegistry.fromSettings(DecideSettings.from(s), store).rollback(version), System.out);
      }
    }
  }

  /** Watches the folders and reloads on change until stopped. */
  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = "Watches dmn/ and rules/ and reloads on every change until stopped (Ctrl-C).")
  public static final class Watch implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        DecideSettings decide = DecideSettings.from(s);
        RuleSetRegistry registry = RuleSetRegistry.fromSettings(decide, store);
        DecideSetup.printOutcome(registry.start(), System.out);
        long debounce = decide.watchDebounceMs();
        try (RuleSetWatcher w = new RuleSetWatcher(registry, debounce, o -> DecideSetup.printOutcome(o, System.out))) {
          System.out.println("watching " + registry.root().resolve("dmn") + " and " + registry.root().resolve("rules"));
          new CountDownLatch(1).await();
        }
      }
      return 0;
    }
  }

  /** Champion against challenger in one decision run. */
  @Command(name = "compare", header = "Compares the champion and challenger rule sets of one decision run.", mixinStandardHelpOptions = true,
      description = {
        "Compares the rule sets that decided one run (champion and challenger): customers, tier mix, actions,",
        "contacts, offer cost, predicted value and, once outcomes are in, response rate and revenue per customer with",
        "95% confidence intervals and the difference challenger - champion."
      })
  public static final class Compare implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--run", paramLabel = "N", description = "The decision run (default: the latest batch run).")
    Long run;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      Settings s = common.settings();
      try (Store store = common.openStore(s)) {
        long id = run != null ? run : RuleSetComparison.latestRun(store);
        if (id <= 0) {
          System.err.println("no decision run to compare: run `valuetier decide` first");
          return 1;
        }
        var c = RuleSetComparison.compute(store, id);
        if (c.decisions() == 0) {
          System.err.println("decision run " + id + " has no decisions (see `valuetier rules compare` without --run for"
              + " the latest batch run)");
          return 1;
        }
        System.out.print(json ? Json.write(c) + "\n" : RuleSetComparison.text(c));
        return 0;
      }
    }
  }
}
