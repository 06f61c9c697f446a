package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.report.ImpactPage;
import io.valuetier.store.Store;
import io.valuetier.util.Json;
import io.valuetier.whatif.Simulation;
import io.valuetier.whatif.WhatIfSettings;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valuetier simulate}: what a candidate DMN and/or DRL would change, before it goes live. */
@Command(
    name = "simulate", header = "Compares a candidate rule set with the active one on the last scored customers.",
    mixinStandardHelpOptions = true,
    description = {
      "Decides the last scored population with a candidate rule set beside the active one and reports the",
      "difference: tier migration matrix, action counts, predicted value at stake per tier, and a sample of",
      "customers whose outcome changes with the reasons. Nothing is written to the live decisions."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--dmn", paramLabel = "FILE", description = "Candidate DMN; replaces the active DMN file.")
  Path dmn;

  @Option(names = "--rules", paramLabel = "FILE", description = "Candidate DRL; replaces the active DRL file.")
  Path drl;

  @Option(names = "--json", description = "Print the impact as one JSON object.")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the impact as an HTML page.")
  Path html;

  @Override
  public Integer call() throws IOException {
    if (dmn == null && drl == null) {
      throw new IllegalArgumentException("give a candidate: --dmn FILE and/or --rules FILE");
    }
    String dmnText = read(dmn);
    String drlText = read(drl);
    Settings s = common.settings();
    try (Store store = common.openStore(s)) {
      DecideSettings decide = DecideSettings.from(s);
      RuleSetRegistry registry = RuleSetRegistry.championOnly(decide, store);
      RuleSetRegistry.RuleSetChange started = registry.start();
      if (registry.current().isEmpty()) {
        System.err.println("no valid active rule set to compare with: " + started.reason());
        return 1;
      }
      Simulation sim = new Simulation(
          registry, new DecisionInputs(store), decide.guardrails(), WhatIfSettings.from(s).sampleSize());
      Simulation.Result r = sim.run(dmnText, drlText);
      if (!r.accepted()) {
        System.err.println("the candidate is refused (" + r.testSummary() + "):");
        r.messages().stream().filter(ValidationMessage::isError).forEach(m -> System.err.println("  " + m));
        return 1;
      }
      if (json) {
        System.out.println(Json.write(r.impact()));
      } else {
        System.out.print(ImpactPage.text(r.impact()));
        System.out.println("\ncandidate's own checks: " + r.testSummary());
      }
      if (html != null) {
        Files.writeString(html, ImpactPage.html(r.impact()), StandardCharsets.UTF_8);
        if (!json) {
          System.out.println("HTML: " + html.toAbsolutePath());
        }
      }
      return 0;
    }
  }

  private static String read(Path p) throws IOException {
    if (p == null) {
      return null;
    }
    if (Files.isDirectory(p)) {
      throw new IllegalArgumentException(p.toAbsolutePath() + " is a directory, give a file");
    }
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("no such file: " + p.toAbsolutePath() + " (check the path)");
    }
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(p.toAbsolutePath() + " is not a text file (it holds binary data): give a .dmn or .drl file");
      }
      return text;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(p.toAbsolutePath() + " is not a UTF-8 text file: give a .dmn or .drl file", e);
    }
  }
}
