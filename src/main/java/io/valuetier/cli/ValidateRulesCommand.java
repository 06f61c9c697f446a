package io.valuetier.cli;

import io.valuetier.config.Settings;
import io.valuetier.decide.DecideSettings;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSetCompiler;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code valuetier validate-rules [PATH]}: the validation gate on its own. */
@Command(
    name = "validate-rules", header = "Validates the DMN models and DRL guardrails.",
    mixinStandardHelpOptions = true,
    description = {
      "Validates the DMN models and DRL guardrails: XML schema, model, decision-table analysis (gaps, overlaps,"
          + " hit-policy problems), compilation with type checking, names in cells and expressions that are neither"
          + " an input nor a required decision (e.g. >= ninety), and the DRL compiler.",
      "Each message names the file, decision, rule row and column and says what to fix.",
      "Exits 1 when there are errors."
    })
public final class ValidateRulesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(arity = "0..1", paramLabel = "PATH",
      description = "A folder with dmn/ and rules/, a folder of rule files, or one .dmn/.drl file (default: the"
          + " installation's rule set).")
  Path path;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    Settings s = common.settings();
    Path where = path != null ? path : DecideSettings.ruleSetDir(s);
    RuleFiles files = RuleFiles.read(where);
    RuleSetCompiler.Result r = RuleSetCompiler.compile(files);
    long errors = r.messages().stream().filter(ValidationMessage::isError).count();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", files.id());
      o.put("files", files.all().keySet());
      o.put("valid", errors == 0);
      o.put("errors", errors);
      o.put("messages", r.messages().stream().map(m -> Map.of("severity", m.severity().name(), "text", m.toString()))
          .toList());
      System.out.println(Json.write(o));
    } else {
      System.out.println("Validated " + files.all().size() + " file(s) under " + where + " (version " + files.id() + ")");
      DecideSetup.print(r.messages(), System.out);
      if (errors == 0) {
        System.out.println("valid: no errors, " + r.messages().size() + " warning(s) or note(s)");
      }
    }
    if (errors > 0) {
      // the verdict on stderr, in one line, so that a script sees the failure without reading the report
      System.err.println("error: the rule set under " + where + " is not valid: " + errors + " error(s)"
          + (json ? " (see the JSON on stdout)" : " (listed above); the first: "
              + r.messages().stream().filter(ValidationMessage::isError).findFirst().map(Object::toString).orElse("")
                  .strip().replaceFirst("^error: ", "").replaceAll("\\s*\\R\\s*", "; ")));
    }
    return errors == 0 ? 0 : 1;
  }
}
