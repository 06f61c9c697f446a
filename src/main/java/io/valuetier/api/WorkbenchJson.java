package io.valuetier.api;

import io.valuetier.decide.rules.Challenger;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleTests;
import io.valuetier.decide.rules.ValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The workbench's answers as JSON maps: validation messages, test results per table and row, activations. */
final class WorkbenchJson {
  private WorkbenchJson() {}

  static Map<String, Object> message(ValidationMessage v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("severity", v.severity().name().toLowerCase(Locale.ROOT));
    m.put("file", v.file());
    m.put("decision", v.decision());
    m.put("row", v.row());
    m.put("column", v.column());
    m.put("text", v.text());
    return m;
  }

  static List<Map<String, Object>> messages(List<ValidationMessage> messages) {
    return messages.stream().map(WorkbenchJson::message).toList();
  }

  /**
   * The test tables' results: per table, every case with each expected column against what the decision gave, the
   * error that stopped a case, the tables that could not be read, and the rule rows and guardrails no case reaches.
   */
  static Map<String, Object> tests(List<RuleTests.Outcome> outcomes, RuleTests.Report report) {
    Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    for (RuleTests.Outcome o : outcomes) {
      RuleTests.Case k = o.testCase();
      Set<String> failed = o.mismatches().stream().map(RuleTests.Mismatch::column).collect(Collectors.toSet());
      Map<String, String> actual = o.decision() == null ? Map.of() : RuleTests.actual(o.decision());
      List<Map<String, Object>> columns = new ArrayList<>();
      k.expected().forEach((col, want) -> {
        String name = col.substring("expected ".length());
        String got = actual.get(col);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("column", title(name));
        c.put("expected", want);
        c.put("actual", o.decision() == null ? null : got == null || got.isEmpty() ? "-" : got);
        c.put("ok", o.error() == null && !failed.contains(name));
        columns.add(c);
      });
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("line", k.line());
      row.put("name", k.name());
      row.put("passed", o.passed());
      row.put("columns", columns);
      row.put("error", o.error());
      tables.computeIfAbsent(k.file(), f -> new ArrayList<>()).add(row);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", report.passed());
    m.put("cases", report.cases());
    m.put("failed", report.failed());
    m.put("tables", tables.entrySet().stream().map(e -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("file", e.getKey());
      t.put("cases", e.getValue());
      return t;
    }).toList());
    m.put("problems", report.problems());
    m.put("uncovered", report.uncoveredRules());
    return m;
  }

  /** "value tier" as the test tables' header spells it: "Value Tier". */
  private static String title(String lower) {
    StringBuilder b = new StringBuilder(lower.length());
    boolean start = true;
    for (char ch : lower.toCharArray()) {
      b.append(start ? Character.toUpperCase(ch) : ch);
      start = ch == ' ';
    }
    return b.toString();
  }

  /** What a deploy or rollback did, with the gate's messages and, when tests ran, their failures. */
  static Map<String, Object> change(RuleSetRegistry.RuleSetChange o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activated", o.activated());
    m.put("version", o.version());
    m.put("result", o.reason());
    m.put("messages", messages(o.messages()));
    if (o.tests() != null) {
      m.put("failures", o.tests().failures());
      m.put("problems", o.tests().problems());
    }
    return m;
  }

  /**
   * The challenger as the page shows it: whether a folder is configured ({@code challenger_configured}), its share
   * ({@code challenger_share}, and as words: "decides 10% of the customers") and the version that runs (null when none
   * passed the gate). The folder's path stays on the server.
   */
  static Map<String, Object> challenger(RuleSetRegistry rules) {
    Challenger.Config cfg = rules.challengerConfig();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("challenger_configured", cfg.enabled());
    m.put("challenger_share", cfg.enabled() ? cfg.share() : null);
    m.put("challenger_decides", cfg.enabled() ? "decides " + RuleSetRegistry.percent(cfg.share())
        + " of the customers" : "no challenger: set " + Challenger.DIR_KEY + " and " + Challenger.SHARE_KEY);
    m.put("challenger", rules.challenger().map(c -> c.ruleSet().version()).orElse(null));
    return m;
  }

  static Map<String, Object> activation(RuleSetHistory.Activation a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", a.version());
    m.put("activated_at", a.activatedAt().toString());
    m.put("reason", a.reason());
    m.put("note", a.note());
    m.put("author", a.author());
    m.put("message", a.message());
    m.put("role", a.challenger() ? "challenger" : "champion");
    return m;
  }
}
