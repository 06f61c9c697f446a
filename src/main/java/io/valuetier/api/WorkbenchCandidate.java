package io.valuetier.api;

import static io.valuetier.api.RequestFields.optionalText;
import static io.valuetier.api.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rule set an analyst edited in the workbench, as its requests send it: {@code "file"} (one of the active rule
 * set's models), {@code "dmn"} (the edited model, as the editor saves it) and optionally {@code "tests"} (test-table
 * file to its edited CSV text). The active rule set's files with those in place: a table not sent stays as it is, a
 * new name under {@code dmn/tests/} adds a table. Test, Simulate and Deploy all work on this, so the analyst tests what
 * is deployed.
 */
record WorkbenchCandidate(String file, RuleFiles files) {
  /** Test tables one request may send. */
  static final int MAX_TABLES = 20;

  private static final Pattern TABLE = Pattern.compile("dmn/tests/[A-Za-z0-9][A-Za-z0-9._-]{0,80}\\.csv");

  static WorkbenchCandidate from(JsonNode body, RuleSet active) {
    String file = requiredText(body, "file");
    String dmn = optionalText(body, "dmn", "dmn");
    if (dmn == null || dmn.isBlank()) {
      throw Problem.badRequest("dmn", "give the edited model as \"dmn\" (DMN XML, as the editor saves it)");
    }
    Map<String, String> all = new TreeMap<>(active.files().all());
    if (!file.endsWith(".dmn") || !all.containsKey(file)) {
      throw Problem.badRequest("file", "file must be one of the active rule set's models: "
          + String.join(", ", active.files().in(RuleFiles.DMN_DIR, ".dmn").keySet()));
    }
    all.put(file, dmn);
    JsonNode tests = body.get("tests");
    if (tests != null && !tests.isNull()) {
      if (!tests.isObject()) {
        throw Problem.badRequest("tests", "tests must be an object: test-table file (dmn/tests/NAME.csv) to its CSV");
      }
      if (tests.size() > MAX_TABLES) {
        throw Problem.badRequest("tests", "at most " + MAX_TABLES + " test tables in one request, not " + tests.size());
      }
      for (var e : tests.properties()) {
        String name = e.getKey();
        if (!TABLE.matcher(name).matches()) {
          throw Problem.badRequest("tests", "'" + Problem.quote(name) + "' is not a test-table file: dmn/tests/NAME.csv"
              + " (letters, digits, '.', '_' and '-')");
        }
        if (!e.getValue().isTextual()) {
          throw Problem.badRequest("tests." + name, "the test table " + name + " must be given as CSV text");
        }
        all.put(name, e.getValue().asText());
      }
    }
    return new WorkbenchCandidate(file, RuleFiles.of(all));
  }
}
