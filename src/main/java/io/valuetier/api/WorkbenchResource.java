package io.valuetier.api;

import io.valuetier.api.ApiKeys.Role;
import io.valuetier.decide.guardrails.GuardrailParameters;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetCompiler;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.RuleTests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The analyst workbench (bean {@code workbenchApi} of {@code routes/workbench.camel.yaml}): the page, its script and
 * the Apache KIE DMN editor ({@code @kie-tools/dmn-editor-standalone}, copied into the jar by the build, so that no
 * request leaves the machine), the active model and test tables to open, Validate (an edited model through the
 * validation gate in place of the active one) and Test (the analysts' test tables, as edited, against it), with nothing
 * saved. Every endpoint needs an analyst key, as a Bearer token or as the password of the Basic challenge a browser
 * answers ({@link ApiGuard#authorizeBrowser}). Simulate, Deploy, Rollback and the history are {@link WorkbenchRelease}'s.
 */
public final class WorkbenchResource {
  /** The files a page may ask for under /workbench/assets/, with their content types; nothing else is served. */
  private static final Map<String, String> ASSETS = Map.of(
      "workbench.js", "text/javascript; charset=utf-8",
      "workbench.css", "text/css; charset=utf-8",
      "dmn-editor-standalone.js", "text/javascript; charset=utf-8");

  private final ApiGuard guard;
  private final RuleSetRegistry rules;
  private final GuardrailParameters params;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  WorkbenchResource(ApiGuard guard, RuleSetRegistry rules, GuardrailParameters params) {
    this.guard = guard;
    this.rules = rules;
    this.params = params;
  }

  /** {@code GET /workbench}: the page. */
  public void page(Exchange ex) {
    serve(ex, "GET /workbench", "index.html", "text/html; charset=utf-8", "no-cache");
  }

  /** {@code GET /workbench/assets/{asset}}: the page's script and style, and the DMN editor. */
  public void asset(Exchange ex) {
    String name = ex.getMessage().getHeader("asset", String.class);
    String type = name == null ? null : ASSETS.get(name);
    if (type == null) {
      long t0 = System.nanoTime();
      Problem p;
      try {
        // the key first: without one, not even the names of the page's files are told
        guard.authorizeBrowser(ex, Role.ANALYST);
        p = Problem.notFound("no such workbench file: the page asks only for " + String.join(", ",
            new TreeMap<>(ASSETS).keySet()));
      } catch (Problem refused) {
        p = refused;
      }
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      guard.metrics().request("GET /workbench/assets", p.status(), System.nanoTime() - t0);
      return;
    }
    serve(ex, "GET /workbench/assets", name, type, "private, max-age=3600");
  }

  /**
   * {@code GET /workbench/api/model}: the active rule set's model to open, the files of the rule set, and its test
   * tables with their CSV text (the page edits them and sends them back with Test and Deploy); {@code version} is the
   * base a deploy names; {@code can_deploy} whether this key may deploy; {@code challenger_*} whether a challenger can
   * be deployed and the share of customers it decides.
   */
  public void model(Exchange ex) {
    guard.answer(ex, "GET /workbench/api/model", e -> {
      ApiKeys.Caller caller = guard.authorizeBrowser(e, Role.ANALYST);
      RuleSet active = rules.active();
      Map<String, String> models = active.files().in(RuleFiles.DMN_DIR, ".dmn");
      if (models.isEmpty()) {
        throw Problem.notFound("the active rule set " + active.version() + " has no DMN model");
      }
      var first = models.entrySet().iterator().next();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", active.version());
      m.put("file", first.getKey());
      m.put("dmn", first.getValue());
      m.put("files", active.files().all().keySet().stream().filter(f -> !f.startsWith(RuleFiles.TESTS_DIR + "/")).toList());
      m.put("tests", active.files().in(RuleFiles.TESTS_DIR, ".csv").keySet().stream().toList());
      m.put("test_tables", active.files().in(RuleFiles.TESTS_DIR, ".csv"));
      // the page offers Deploy and Rollback only to a key that may use them (the server checks again)
      m.put("can_deploy", caller.has(Role.DEPLOY));
      // Deploy as challenger is offered only when an operator configured a challenger folder and share
      m.putAll(WorkbenchJson.challenger(rules));
      return m;
    });
  }

  /**
   * {@code POST /workbench/api/validate} with {@code {"file": "dmn/x.dmn", "dmn": "<definitions ..."}}: the gate's
   * messages for the active rule set with that model in place of its file, each with its decision, row and column.
   * Nothing is saved or activated.
   */
  public void validate(Exchange ex) {
    guard.answer(ex, "POST /workbench/api/validate", e -> {
      guard.authorizeBrowser(e, Role.ANALYST);
      WorkbenchCandidate c = WorkbenchCandidate.from(RequestJson.object(e), rules.active());
      RuleSetCompiler.Result r = RuleSetCompiler.compile(c.files());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", r.ok());
      m.put("errors", r.errors().size());
      m.put("warnings", r.messages().size() - r.errors().size());
      m.put("messages", WorkbenchJson.messages(r.messages()));
      return m;
    });
  }

  /**
   * {@code POST /workbench/api/test} with the edited model and optionally edited test tables ({@code "tests"}: file to
   * CSV): every case of the test tables decided by the candidate, per table and row expected against actual, the
   * failures, the tables that cannot be read and the rule rows and guardrails no case reaches. A model that does not
   * validate answers its messages instead ({@code "valid": false}). Nothing is saved.
   */
  public void test(Exchange ex) {
    guard.answer(ex, "POST /workbench/api/test", e -> {
      guard.authorizeBrowser(e, Role.ANALYST);
      WorkbenchCandidate c = WorkbenchCandidate.from(RequestJson.object(e), rules.active());
      RuleSetCompiler.Result r = RuleSetCompiler.compile(c.files());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", r.ok());
      m.put("messages", WorkbenchJson.messages(r.messages()));
      if (!r.ok()) {
        m.put("passed", false);
        return m;
      }
      List<String> problems = new ArrayList<>();
      List<RuleTests.Outcome> outcomes = RuleTests.outcomes(r.ruleSet(), params, problems);
      m.putAll(WorkbenchJson.tests(outcomes, RuleTests.report(r.ruleSet(), outcomes, problems)));
      return m;
    });
  }

  private void serve(Exchange ex, String route, String name, String type, String cache) {
    long t0 = System.nanoTime();
    int status;
    try {
      guard.authorizeBrowser(ex, Role.ANALYST);
      byte[] body = files.computeIfAbsent(name, WorkbenchResource::read);
      ex.getMessage().removeHeaders("*");
      ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
      ex.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
      ex.getMessage().setHeader("Cache-Control", cache);
      ex.getMessage().setHeader("X-Content-Type-Options", "nosniff");
      ex.getMessage().setBody(body);
      status = 200;
    } catch (Problem p) {
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      status = p.status();
    }
    guard.metrics().request(route, status, System.nanoTime() - t0);
  }

  private static byte[] read(String name) {
    try (InputStream in = WorkbenchResource.class.getResourceAsStream("/workbench/" + name)) {
      if (in == null) {
        throw new IllegalStateException("/workbench/" + name + " is not in the jar: build it with mvn package (the"
            + " build copies the DMN editor from web/node_modules)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
