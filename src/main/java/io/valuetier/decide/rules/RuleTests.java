package io.valuetier.decide.rules;

import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs the analysts' test tables ({@code dmn/tests/*.csv}): one business case per row, inputs and expected outputs in
 * columns, through the whole decision (DMN tables and guardrails). Reports expected against actual for every failed
 * case and the rule rows and guardrails that no case reaches.
 *
 * <p>Format: a header row, then one case per row. Input columns: {@value #INPUT_COLUMNS}. Expected columns:
 * {@value #EXPECTED_COLUMNS}. An empty input cell is a missing fact (empty Recent Contacts is 0, empty Budget Left is
 * unlimited); an empty expected cell is not checked, and "-" expects nothing (no channel, no offer, no guardrail).
 *
 * <p>Every case's customer has {@value #TEST_PICKS} product picks, of which the first "Out Of Stock Picks" (empty: 0)
 * are out of stock in the catalogue, so "Expected Products" is the number of products the action carries after the DMN's
 * "Products" column and the guardrails (at most {@value #TEST_PICKS}).
 */
public final class RuleTests {
  static final String INPUT_COLUMNS =
      "Case, Customer, Predicted Spend, Value Percentile, Probability Active, Cold Start, Model Version, Tenure Days,"
          + " Marketing Consent, Loyalty Member, Returns Ratio, Open Complaints, Country, Segment, Fraud Flag,"
          + " Recent Contacts, Budget Left, Out Of Stock Picks";
  static final String EXPECTED_COLUMNS =
      "Expected Value Tier, Expected Action Code, Expected Channel, Expected Offer, Expected Priority,"
          + " Expected Service Level, Expected Guardrail, Expected Products";
  private static final Set<String> INPUTS = columns(INPUT_COLUMNS);
  private static final Set<String> EXPECTED = columns(EXPECTED_COLUMNS);

  /** One expected value that was not met. */
  public record Mismatch(String column, String expected, String actual) {}

  /** One failed case: file, 1-based line, name and what differed (or the error that stopped it). */
  public record Failure(String file, int line, String name, List<Mismatch> mismatches, String error) {}

  /** The outcome of all test tables of a rule set. */
  public record Report(int cases, List<Failure> failures, List<String> uncoveredRules, List<String> problems) {
    public int failed() {
      return failures.size();
    }

    /** Passed: every case met its expectations and every table could be read. */
    public boolean passed() {
      return failures.isEmpty() && problems.isEmpty();
    }
  }

  /** One case of a table, for tests that want to run cases one by one. */
  public record Case(String file, int line, String name, DecisionInput input, BigDecimal budgetLeft,
      Map<String, String> expected, int outOfStockPicks) {

    public Case(String file, int line, String name, DecisionInput input, BigDecimal budgetLeft,
        Map<String, String> expected) {
      this(file, line, name, input, budgetLeft, expected, 0);
    }
  }

  /** The product picks every test customer has. */
  static final int TEST_PICKS = 10;

  private RuleTests() {}

  private static Set<String> columns(String list) {
    Set<String> s = new LinkedHashSet<>();
    for (String c : list.split(",")) {
      s.add(c.strip().toLowerCase(Locale.ROOT));
    }
    return s;
  }

  /** Reads every case of the rule set's test tables; unreadable cells are reported in {@code problems}. */
  public static List<Case> cases(RuleFiles files, List<String> problems) {
    List<Case> out = new ArrayList<>();
    for (var e : files.in(RuleFiles.TESTS_DIR, ".csv").entrySet()) {
      List<String> unreadable = new ArrayList<>();
      List<List<String>> rows = Csv.parse(e.getValue(), unreadable);
      unreadable.forEach(u -> problems.add(e.getKey() + ": " + u));
      if (rows.isEmpty()) {
        problems.add(e.getKey() + ": empty test table (expected a header row and one case per row)");
        continue;
      }
      List<String> header = rows.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
      boolean bad = false;
      for (int c = 0; c < header.size(); c++) {
        if (!INPUTS.contains(header.get(c)) && !EXPECTED.contains(header.get(c))) {
          problems.add(e.getKey() + ": line 1, column " + (c + 1) + " '" + rows.get(0).get(c).strip()
              + "' is not a known column; inputs are " + INPUT_COLUMNS + "; expectations are " + EXPECTED_COLUMNS);
          bad = true;
        }
      }
      if (bad) {
        continue;
      }
      for (int r = 1; r < rows.size(); r++) {
        Map<String, String> cells = new HashMap<>();
        List<String> row = rows.get(r);
        for (int c = 0; c < header.size(); c++) {
          cells.put(header.get(c), c < row.size() ? row.get(c).strip() : "");
        }
        try {
          out.add(toCase(e.getKey(), r + 1, cells));
        } catch (IllegalArgumentException ex) {
          problems.add(e.getKey() + ": line " + (r + 1) + ": " + ex.getMessage());
        }
      }
    }
    return out;
  }

  private static Case toCase(String file, int line, Map<String, String> c) {
    String name = c.getOrDefault("case", "");
    String customer = c.getOrDefault("customer", "");
    DecisionInput in =
        new DecisionInput(
            customer.isEmpty() ? "test-" + line : customer,
            number(c, "predicted spend"),
            number(c, "value percentile"),
            number(c, "probability active"),
            Boolean.TRUE.equals(bool(c, "cold start")),
            "test",
            text(c, "model version") == null ? "test" : text(c, "model version"),
            number(c, "tenure days"),
            number(c, "returns ratio"),
            bool(c, "marketing consent"),
            bool(c, "loyalty member"),
            number(c, "open complaints"),
            bool(c, "fraud flag"),
            text(c, "country"),
            text(c, "segment"),
            number(c, "recent contacts") == null ? 0 : number(c, "recent contacts").intValue());
    Map<String, String> expected = new LinkedHashMap<>();
    for (String col : EXPECTED) {
      String v = c.get(col);
      if (v != null && !v.isEmpty()) {
        expected.put(col, v);
      }
    }
    BigDecimal outOfStock = number(c, "out of stock picks");
    return new Case(file, line, name.isEmpty() ? "line " + line : name, in, number(c, "budget left"), expected,
        outOfStock == null ? 0 : outOfStock.intValue());
  }

  private static String text(Map<String, String> c, String col) {
    String v = c.get(col);
    return v == null || v.isEmpty() ? null : v;
  }

  private static BigDecimal number(Map<String, String> c, String col) {
    String v = text(c, col);
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("column '" + col + "' = '" + v + "' is not a number");
    }
  }

  private static Boolean bool(Map<String, String> c, String col) {
    String v = text(c, col);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1" -> true;
      case "false", "no", "n", "0" -> false;
      default -> throw new IllegalArgumentException("column '" + col + "' = '" + v + "' is not yes/no or true/false");
    };
  }

  /** Decides one case with {@code ruleSet} and returns the decision. */
  public static Decision decide(RuleSet ruleSet, GuardrailParameters params, Case k) {
    List<ProductPick> picks = new ArrayList<>(TEST_PICKS);
    for (int i = 1; i <= TEST_PICKS; i++) {
      picks.add(new ProductPick("TEST" + i, "test product " + i, 1.0 / i, "a test pick", i > k.outOfStockPicks()));
    }
    DecisionEngine engine = new DecisionEngine(ruleSet, params)
        .withPicks(ids -> Map.of(k.input().customerId(), picks), TEST_PICKS);
    return engine.decideOne(k.input(), new BudgetLedger(k.budgetLeft()), 0, Instant.EPOCH);
  }

  /**
   * What {@code d} gives for each expectation column (lower case, as {@link Case#expected} names them): the value a
   * case would have to expect for it to pass; null where the decision has nothing.
   */
  public static Map<String, String> actual(Decision d) {
    Map<String, String> actual = new HashMap<>();
    actual.put("expected value tier", d.valueTier());
    actual.put("expected action code", d.actionCode());
    actual.put("expected channel", d.channel());
    actual.put("expected offer", d.offer());
    actual.put("expected priority", d.priority() == null ? null : d.priority().toString());
    actual.put("expected service level", d.serviceLevel());
    actual.put("expected guardrail", d.guardrailCodes().isEmpty() ? null : d.guardrailCodes());
    actual.put("expected products", Integer.toString(d.products().size()));
    return actual;
  }

  /** The expectations of {@code k} that {@code d} does not meet. */
  public static List<Mismatch> check(Case k, Decision d) {
    List<Mismatch> out = new ArrayList<>();
    Map<String, String> actual = actual(d);
    k.expected()
        .forEach(
            (col, want) -> {
              String got = actual.get(col);
              boolean ok = want.equals("-") ? got == null || got.isEmpty() : Objects.equals(want, got);
              if (!ok) {
                out.add(new Mismatch(col.substring("expected ".length()), want, got == null ? "-" : got));
              }
            });
    return out;
  }

  /**
   * One case run: its decision (null when it failed with an error), what differed, or the error that stopped it. The
   * workbench shows every case, passed or not, with expected against actual.
   */
  public record Outcome(Case testCase, Decision decision, List<Mismatch> mismatches, String error) {
    public boolean passed() {
      return error == null && mismatches.isEmpty();
    }
  }

  /** Runs every case of the rule set's own test tables, one outcome per case; unreadable cells go to {@code problems}. */
  public static List<Outcome> outcomes(RuleSet ruleSet, GuardrailParameters params, List<String> problems) {
    List<Outcome> out = new ArrayList<>();
    for (Case k : cases(ruleSet.files(), problems)) {
      try {
        Decision d = decide(ruleSet, params, k);
        out.add(new Outcome(k, d, check(k, d), null));
      } catch (RuntimeException e) {
        out.add(new Outcome(k, null, List.of(), e.getMessage()));
      }
    }
    return out;
  }

  /** Runs every case of the rule set's own test tables. */
  public static Report run(RuleSet ruleSet, GuardrailParameters params) {
    List<String> problems = new ArrayList<>();
    return report(ruleSet, outcomes(ruleSet, params, problems), problems);
  }

  /** The report of {@link #outcomes}: the failures, and the rule rows and guardrails that no case reached. */
  public static Report report(RuleSet ruleSet, List<Outcome> outcomes, List<String> problemsFound) {
    List<String> problems = new ArrayList<>(problemsFound);
    List<Failure> failures = new ArrayList<>();
    Set<String> hitRows = new HashSet<>();
    Set<String> firedRules = new HashSet<>();
    for (Outcome o : outcomes) {
      Case k = o.testCase();
      if (o.decision() != null) {
        for (String r : o.decision().matchedRows().split(";")) {
          hitRows.add(r);
        }
        firedRules.addAll(o.decision().firedRules());
      }
      if (!o.passed()) {
        failures.add(new Failure(k.file(), k.line(), k.name(), o.mismatches(), o.error()));
      }
    }
    if (outcomes.isEmpty() && problems.isEmpty()) {
      problems.add(RuleFiles.TESTS_DIR + ": no test cases: add a test table (*.csv) with one business case per row");
    }
    List<String> uncovered = new ArrayList<>();
    for (DecisionTableInfo t : ruleSet.model().tables()) {
      for (DecisionTableInfo.Row row : t.rows()) {
        if (!hitRows.contains(t.decision() + "#" + row.number())) {
          uncovered.add(t.file() + ": decision '" + t.decision() + "', rule " + row.number() + " (" + row.annotation()
              + ")");
        }
      }
    }
    for (String rule : ruleSet.guardrails().ruleNames()) {
      if (!firedRules.contains(rule)) {
        uncovered.add("guardrail '" + rule + "'");
      }
    }
    return new Report(outcomes.size(), failures, uncovered, problems);
  }
}
