package io.valuetier.pipeline;

import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleTests;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.records.IngestReport;
import io.valuetier.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The facts of a main-job run that change what its numbers mean, stated in the summary so that nobody has to find them
 * in the log: which store and decision run the outputs belong to, a rule edit that was refused (and the version that
 * decided instead), an input file that yielded no rows, how many decided customers were not in this run's file, how
 * many were held back by contact fatigue from earlier runs, and how many have no customer facts (consent unknown).
 *
 * @param storeId the store's identity (a UUID)
 * @param decisionRun the decision run, unique across stores: {@code STORE-SHORT/run-N} (also its action folder)
 * @param ruleSet a refused rule set, or null when the files on disk are the ones that decided
 * @param emptyFiles input files that yielded no rows (they were read, nothing was in them)
 * @param customersInFile distinct customers in the transaction file of this run
 * @param customersFromEarlierIngests decided customers who are not in that file (earlier ingests, customer facts)
 * @param heldByFatigue customers whose contact the contact-fatigue guardrail stopped (contacts of earlier runs)
 * @param withoutFacts decided customers without customer facts: consent unknown, which the rules treat as no consent
 */
public record RunFacts(
    String storeId,
    String decisionRun,
    RefusedRuleSet ruleSet,
    List<String> emptyFiles,
    long customersInFile,
    long customersFromEarlierIngests,
    long heldByFatigue,
    long withoutFacts) {

  /** The guardrail reason code of contact fatigue (rules/guardrails.drl). */
  static final String FATIGUE_CODE = "CONTACT_FATIGUE";

  /** How many messages of a refused rule set the summary shows (the rest: {@code valuetier validate-rules}). */
  static final int MESSAGES_SHOWN = 3;

  /**
   * A rule set on disk that failed validation or its tests, so that another version decided.
   *
   * @param version the refused files' version
   * @param reason why, in one line
   * @param messages its first messages (errors, else failed test cases)
   * @param versionUsed the version that decided instead
   */
  public record RefusedRuleSet(String version, String reason, List<String> messages, String versionUsed) {}

  /** The refused rule set of a start, or null when nothing was refused. */
  static RefusedRuleSet refused(RuleSetRegistry.RuleSetChange started, String versionUsed) {
    if (!started.refused()) {
      return null;
    }
    List<String> messages = new ArrayList<>();
    for (ValidationMessage m : started.messages()) {
      if (m.isError() && messages.size() < MESSAGES_SHOWN) {
        messages.add(m.toString());
      }
    }
    RuleTests.Report tests = started.tests();
    if (messages.isEmpty() && tests != null) {
      for (RuleTests.Failure f : tests.failures()) {
        if (messages.size() < MESSAGES_SHOWN) {
          messages.add("test " + f.file() + ":" + f.line() + " '" + f.name() + "': "
              + (f.error() != null ? f.error() : f.mismatches().stream()
                  .map(x -> x.column() + " expected " + x.expected() + ", got " + x.actual()).toList()));
        }
      }
      for (String p : tests.problems()) {
        if (messages.size() < MESSAGES_SHOWN) {
          messages.add(p);
        }
      }
    }
    return new RefusedRuleSet(started.version(), started.reason(), List.copyOf(messages), versionUsed);
  }

  /** Gathers the facts of a run from its reports and the store. */
  static RunFacts gather(Store store, String storeId, String decisionRun, RefusedRuleSet ruleSet, IngestReport tx,
      IngestReport customerFacts, long customersDecided, Map<String, Long> interventions) {
    List<String> empty = new ArrayList<>();
    if (customerFacts != null && customerFacts.read() == 0) {
      empty.add(customerFacts.source());
    }
    if (tx.read() == 0) {
      empty.add(tx.source());
    }
    long withoutFacts =
        store.queryLong("SELECT COUNT(*) FROM scores s LEFT JOIN customers c ON c.customer_id = s.customer_id"
            + " WHERE c.marketing_consent IS NULL");
    return new RunFacts(storeId, decisionRun, ruleSet, List.copyOf(empty), tx.customers(),
        Math.max(0, customersDecided - tx.customers()), interventions.getOrDefault(FATIGUE_CODE, 0L), withoutFacts);
  }

  /** What {@code run --strict} refuses: a refused rule set, an input file without rows. */
  public List<String> strictProblems() {
    List<String> p = new ArrayList<>();
    if (ruleSet != null) {
      p.add("the rule set on disk (" + ruleSet.version() + ") was refused; version " + ruleSet.versionUsed()
          + " decided instead");
    }
    emptyFiles.forEach(f -> p.add(f + " yielded no rows"));
    return p;
  }

  /** The facts as JSON-ready entries. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store_id", storeId);
    m.put("decision_run_id", decisionRun);
    if (ruleSet != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", ruleSet.version());
      r.put("reason", ruleSet.reason());
      r.put("messages", ruleSet.messages());
      r.put("version_used", ruleSet.versionUsed());
      m.put("rule_set_refused", r);
    }
    m.put("empty_files", emptyFiles);
    m.put("customers_in_file", customersInFile);
    m.put("customers_from_earlier_ingests", customersFromEarlierIngests);
    m.put("held_by_contact_fatigue", heldByFatigue);
    m.put("customers_without_facts", withoutFacts);
    m.put("strict_problems", strictProblems());
    return m;
  }

  /** The facts in words, for the summary; only those that hold. */
  List<String> lines(long customersDecided) {
    List<String> l = new ArrayList<>();
    if (ruleSet != null) {
      l.add("RULE SET REFUSED: the files on disk (" + ruleSet.version() + ") were not used: " + ruleSet.reason()
          + "; decided with version " + ruleSet.versionUsed());
      ruleSet.messages().forEach(msg -> l.add("  " + msg));
      l.add("  (every message: valuetier validate-rules)");
    }
    for (String f : emptyFiles) {
      l.add(String.format(Locale.ROOT, "EMPTY INPUT: %s yielded 0 rows; the run decided the %,d customers already in"
          + " the store", f, customersDecided));
    }
    if (customersFromEarlierIngests > 0) {
      l.add(String.format(Locale.ROOT, "customers decided %,d: %,d in this transaction file, %,d only from earlier"
          + " ingests or customer facts", customersDecided, customersInFile, customersFromEarlierIngests));
    }
    if (heldByFatigue > 0) {
      l.add(String.format(Locale.ROOT, "contact fatigue: %,d customers not contacted because earlier runs already"
          + " contacted them (valuetier.decide.fatigue.*)", heldByFatigue));
    }
    if (withoutFacts > 0) {
      String who = withoutFacts >= customersDecided
          ? String.format(Locale.ROOT, "none of the %,d customers has a known marketing consent", customersDecided)
          : String.format(Locale.ROOT, "%,d of %,d customers have no known marketing consent", withoutFacts,
              customersDecided);
      l.add(who + " (no customer facts): the consent guardrail gives them NO_CONTACT, so no contact action is"
          + " published for them; give the facts with --customers FILE (customer_id, marketing_consent, ...)");
    }
    return l;
  }
}
