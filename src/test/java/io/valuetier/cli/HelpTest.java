package io.valuetier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help reads the same everywhere: sentences, one placeholder style, --json and --force where they belong. */
class HelpTest {
  private static List<CommandLine> all(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>();
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help") && !out.contains(sub)) {
        out.add(sub);
        out.addAll(all(sub));
      }
    }
    return out;
  }

  private static CommandLine main() {
    return new CommandLine(new Main());
  }

  private static String summary(CommandLine c) {
    String[] header = c.getCommandSpec().usageMessage().header();
    String[] description = c.getCommandSpec().usageMessage().description();
    return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
  }

  @Test
  void everyCommandSummaryIsOneSentence() {
    for (CommandLine c : all(main())) {
      String s = summary(c);
      assertTrue(s.endsWith(".") || s.endsWith(").") , c.getCommandSpec().qualifiedName() + ": '" + s + "'");
      assertTrue(s.length() <= 100, c.getCommandSpec().qualifiedName() + " summary fits the command list: " + s);
    }
  }

  @Test
  void everyOptionValueHasAnUpperCasePlaceholder() {
    List<String> bad = new ArrayList<>();
    for (CommandLine c : all(main())) {
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if (o.arity().max() > 0 && !o.paramLabel().matches("[A-Z][A-Z_=]*")) {
          bad.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + " " + o.paramLabel());
        }
      }
      for (CommandLine.Model.PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
        if (!p.paramLabel().matches("[A-Z][A-Z_=]*")) {
          bad.add(c.getCommandSpec().qualifiedName() + " " + p.paramLabel());
        }
      }
    }
    assertEquals(List.of(), bad, "options whose placeholder is not FILE, DATE, N, ... style");
  }

  @Test
  void everyCommandThatReportsCanPrintJson() {
    Set<String> without = Set.of("valuetier serve", "valuetier kafka", "valuetier kafka routes", "valuetier worker",
        "valuetier models", "valuetier outcomes", "valuetier rules", "valuetier customers", "valuetier rules watch", "valuetier rules reload", "valuetier rules rollback");
    for (CommandLine c : all(main())) {
      String name = c.getCommandSpec().qualifiedName();
      if (!without.contains(name)) {
        assertTrue(c.getCommandSpec().findOption("--json") != null, name + " has --json");
      }
    }
  }

  @Test
  void forcingATrainingIsForceEverywhereAndRetrainStillWorks() {
    for (String cmd : List.of("run", "train", "retrain")) {
      assertTrue(main().getSubcommands().get(cmd).getCommandSpec().findOption("--force") != null, cmd);
    }
    CommandLine cl = main();
    cl.parseArgs("run", "--retrain");
    RunCommand run = cl.getSubcommands().get("run").getCommand();
    assertTrue(run.retrain, "--retrain is the deprecated alias of --force");
    assertFalse(main().getSubcommands().get("train").getCommandSpec().findOption("--retrain") != null);
  }

  @Test
  void theHelpSaysWhereTheLogFileIs() {
    String usage = main().getUsageMessage();
    assertTrue(usage.contains("logs/valuetier.log") && usage.contains("--verbose"), usage);
    assertEquals(Console.LOG_FILE, "logs/valuetier.log");
  }

  @Test
  void theHelpGivesTheJvmHeapAndCollectorAndHowToOverrideThem() {
    String usage = Main.commandLine().getUsageMessage().replaceAll("\\s+", " ");
    String heap = String.format(Locale.ROOT, "max heap %.1f GiB", JvmMemory.maxHeapSize() / 1073741824.0);
    assertTrue(usage.contains("JVM: " + heap) && usage.contains(JvmMemory.collectors() + " collector"), usage);
    assertTrue(usage.contains("half of the memory limit") && usage.contains("at most 3 GiB")
        && usage.contains("VALUETIER_JAVA_OPTS=-Xmx8g"), usage);
  }
}
