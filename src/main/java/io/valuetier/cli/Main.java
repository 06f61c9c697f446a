package io.valuetier.cli;

import io.valuetier.ingest.TransactionFormat;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

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
      "Errors are one line on stderr; library messages and stack traces go to logs/valuetier.log in the installation folder (--verbose shows them on the console too).",
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
      KafkaCommand.class,
      WorkerCommand.class,
      ApiKeyCommand.class,
      SimulateCommand.class,
      OutcomesCommand.class,
      MonitorCommand.class,
      RetrainCommand.class,
      ModelsCommand.class,
      CustomersCommand.class,
      DecideCommand.class,
      ExplainCommand.class,
      ValidateRulesCommand.class,
      TestRulesCommand.class,
      RulesCommand.class,
      BenchIngestCommand.class,
      BenchRunCommand.class,
      BenchModelCommand.class,
      BenchDecideCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line as {@link #run} executes it; its help ends with the JVM's memory settings. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    List<String> footer = new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().footer()));
    footer.addAll(JvmMemory.helpLines());
    cl.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    ErrorHandler errors = new ErrorHandler();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Values that are not a date or a number are named with an example of what is expected, without Java's words
    cl.registerConverter(LocalDate.class, Main::date);
    cl.registerConverter(Integer.class, s -> (int) whole(s, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cl.registerConverter(int.class, s -> (int) whole(s, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cl.registerConverter(Long.class, s -> whole(s, Long.MIN_VALUE, Long.MAX_VALUE));
    cl.registerConverter(long.class, s -> whole(s, Long.MIN_VALUE, Long.MAX_VALUE));
    cl.registerConverter(Double.class, Main::number);
    cl.registerConverter(double.class, Main::number);
    // --format takes the layouts' names (online-retail-ii), not the enum's; a wrong one names the option and the choices
    cl.registerConverter(TransactionFormat.class, s -> {
      try {
        return TransactionFormat.of(s);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    });
    return cl;
  }

  /**
   * {@code --verbose} on every command: the console also shows the libraries' messages and stack traces (otherwise
   * only in logs/valuetier.log).
   */
  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Also show library messages and stack traces on the console (they always go to logs/valuetier.log).")
  void verbose(boolean on) {
    Console.verbose(on);
  }

  static LocalDate date(String s) {
    try {
      return LocalDate.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(s + " is not a date like 2011-12-09");
    }
  }

  static long whole(String s, long min, long max) {
    long v;
    try {
      v = Long.parseLong(s.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(s + " is not a whole number like 10");
    }
    if (v < min || v > max) {
      throw new CommandLine.TypeConversionException(s + " is out of range (" + min + " to " + max + ")");
    }
    return v;
  }

  static double number(String s) {
    double v;
    try {
      v = Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(s + " is not a number like 0.25");
    }
    if (!Double.isFinite(v)) {
      throw new CommandLine.TypeConversionException(s + " is not a finite number");
    }
    return v;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
