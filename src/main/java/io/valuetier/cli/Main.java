package io.valuetier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code valuetier} command line: one subcommand per stage of the pipeline. */
@Command(
    name = "valuetier",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Predicts what each customer will be worth and turns it into tiers and marketing actions.",
      "Rules live in dmn/ and rules/, routes in routes/, settings in config/application.properties."
    },
    footer = {
      "",
      "Also: ./valuetier test   runs the test suite (prepares the machine like CI, then mvn verify).",
      "Guide: README.md; analysts: docs/analyst-guide.md; figures: BENCHMARKS.md."
    },
    subcommands = {
      RunCommand.class,
      IngestCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      ApiKeyCommand.class,
      SimulateCommand.class,
      OutcomesCommand.class,
      MonitorCommand.class,
      RetrainCommand.class,
      ModelsCommand.class,
      io.valuetier.decide.cli.DecideCommand.class,
      io.valuetier.decide.cli.ExplainCommand.class,
      io.valuetier.decide.cli.ValidateRulesCommand.class,
      io.valuetier.decide.cli.TestRulesCommand.class,
      io.valuetier.decide.cli.RulesCommand.class,
      BenchIngestCommand.class,
      BenchModelCommand.class,
      io.valuetier.decide.cli.BenchDecideCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // --format takes the layouts' names (online-retail-ii), not the enum's; a wrong one names the option and the choices
    cl.registerConverter(io.valuetier.ingest.TransactionFormat.class, s -> {
      try {
        return io.valuetier.ingest.TransactionFormat.of(s);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
