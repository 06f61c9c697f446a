package io.valuetier.decide.guardrails;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

/**
 * The compiled DRL guardrails (Drools executable model). Rules run in two agenda groups: {@value #CUSTOMER_STAGE}
 * right after the DMN (consent, holds, fatigue), and {@value #BUDGET_STAGE} after the run's budget ledger has granted
 * or refused the costly offers. Thread-safe: every call works in its own session (from a pool).
 */
public final class Guardrails {
  /** Agenda group of the per-customer guardrails. */
  public static final String CUSTOMER_STAGE = "customer";
  /** Agenda group of the budget guardrails, run after the ledger. */
  public static final String BUDGET_STAGE = "budget";

  /** A compiler message of a DRL file, with its place. */
  public record DrlMessage(boolean error, String file, int line, int column, String text) {}

  /** The outcome of compiling DRL files: the guardrails, or the messages that prevented them. */
  public record Compiled(Guardrails guardrails, List<DrlMessage> messages) {}

  /** How often each rule may fire per action and stage before the guardrails count as looping. */
  static final int FIRINGS_PER_RULE_AND_ACTION = 10;

  private static final AtomicLong BUILDS = new AtomicLong();

  /**
   * Sessions to reuse: a disposed pooled session is reset and handed out again, which saves building one per stage
   * and decision (about a twentieth of an API request's CPU). The pool grows to the number of concurrent callers.
   */
  private final KieSessionsPool sessions;
  private final List<String> ruleNames;

  private Guardrails(KieBase kieBase) {
    this.sessions = kieBase.newKieSessionsPool(2);
    TreeSet<String> names = new TreeSet<>();
    for (KiePackage p : kieBase.getKiePackages()) {
      for (Rule r : p.getRules()) {
        names.add(r.getName());
      }
    }
    this.ruleNames = List.copyOf(names);
  }

  /**
   * Compiles DRL files (path to content) into the executable model. {@code buildId} keeps builds of different rule-set
   * versions apart in the KIE repository, so that two compiled versions can live side by side.
   */
  public static Compiled compile(Map<String, String> drlFiles, String buildId) {
    KieServices ks = KieServices.Factory.get();
    // A unique id per build: two builds of the same files at once must not meet in the KIE repository.
    ReleaseId releaseId =
        ks.newReleaseId("io.valuetier.rules", "guardrails-" + buildId + "-" + BUILDS.incrementAndGet(), "1.0.0");
    KieFileSystem kfs = ks.newKieFileSystem();
    kfs.generateAndWritePomXML(releaseId);
    drlFiles.forEach((path, content) -> kfs.write("src/main/resources/" + safe(path), content));
    KieBuilder builder = ks.newKieBuilder(kfs);
    List<DrlMessage> messages = new ArrayList<>();
    try {
      builder.buildAll(ExecutableModelProject.class);
    } catch (RuntimeException e) {
      messages.add(new DrlMessage(true, String.join(", ", drlFiles.keySet()), 0, 0, "cannot compile: " + e));
      return new Compiled(null, messages);
    }
    boolean errors = false;
    for (Message m : builder.getResults().getMessages()) {
      boolean error = m.getLevel() == Message.Level.ERROR;
      errors |= error;
      String path = m.getPath() == null ? "" : m.getPath().replaceFirst("^src/main/resources/", "");
      messages.add(new DrlMessage(error, unsafe(path, drlFiles), m.getLine(), m.getColumn(), m.getText()));
    }
    if (errors) {
      ks.getRepository().removeKieModule(releaseId);
      return new Compiled(null, messages);
    }
    KieBase base = ks.newKieContainer(releaseId).getKieBase();
    ks.getRepository().removeKieModule(releaseId);
    return new Compiled(new Guardrails(base), messages);
  }

  private static String safe(String path) {
    return path.replace('\\', '/');
  }

  private static String unsafe(String path, Map<String, String> files) {
    for (String p : files.keySet()) {
      if (safe(p).equals(path)) {
        return p;
      }
    }
    return path;
  }

  /**
   * Runs the guardrails of {@code stage} on {@code actions} (changed in place).
   *
   * @throws IllegalStateException when the rules do not settle: a rule that keeps re-activating itself (an
   *     {@code update} that does not change what its condition reads) would otherwise run forever
   */
  public void apply(List<ProposedAction> actions, String stage, GuardrailParameters params) {
    if (actions.isEmpty()) {
      return;
    }
    // A sane rule set fires each rule at most a few times per action; the bound only stops an endless loop.
    long limit = (long) actions.size() * (ruleNames.size() + 1) * FIRINGS_PER_RULE_AND_ACTION;
    int max = (int) Math.min(Integer.MAX_VALUE - 1, limit);
    Map<String, Integer> counts = new HashMap<>();
    AgendaEventListener listener = new DefaultAgendaEventListener() {
      @Override
      public void beforeMatchFired(BeforeMatchFiredEvent event) {
        String name = event.getMatch().getRule().getName();
        counts.merge(name, 1, Integer::sum);
        for (Object o : event.getMatch().getObjects()) {
          if (o instanceof ProposedAction a) {
            a.firing(name);
          }
        }
      }
    };
    KieSession session = sessions.newKieSession();
    try {
      session.setGlobal("params", params);
      session.addEventListener(listener);
      for (ProposedAction a : actions) {
        session.insert(a);
      }
      session.getAgenda().getAgendaGroup(stage).setFocus();
      int fired = session.fireAllRules(max + 1);
      if (fired > max) {
        String busiest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
            .orElse("?");
        throw new IllegalStateException("the guardrails did not settle: they fired " + fired + " times on "
            + actions.size() + " action(s) in stage '" + stage + "', most often rule \"" + busiest
            + "\"; a rule re-activates itself (update or modify without changing what its condition reads):"
            + " change its condition or add no-loop");
      }
    } finally {
      // the listener belongs to this call alone, whatever the pool's reset keeps of a session
      session.removeEventListener(listener);
      session.dispose();
    }
  }

  /** The names of all guardrail rules, sorted. */
  public List<String> ruleNames() {
    return ruleNames;
  }
}
