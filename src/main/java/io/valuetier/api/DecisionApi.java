package io.valuetier.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.valuetier.api.ApiKeys.Caller;
import io.valuetier.api.ApiKeys.Role;
import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.config.Settings;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.decide.DecisionService;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.rules.RuleSetHistory;
import io.valuetier.decide.rules.RuleSetRegistry;
import io.valuetier.decide.rules.ValidationMessage;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.decide.trace.Explainer;
import io.valuetier.decide.trace.LoggedDecision;
import io.valuetier.ingest.TransactionEventIngest;
import io.valuetier.model.CustomerScorer;
import io.valuetier.model.Reason;
import io.valuetier.model.ScoredCustomer;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.privacy.CustomerErasure;
import io.valuetier.records.CustomerFacts;
import io.valuetier.records.Transaction;
import io.valuetier.records.TransactionDraft;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import io.valuetier.whatif.Impact;
import io.valuetier.whatif.Simulation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of the REST API (routes in {@code routes/api.camel.yaml}). Every method first checks the caller's API
 * key and role ({@link ApiKeys}: 401 without a known key, 403 with a key of another role) and the key's rate limit
 * (429), then answers the exchange itself: JSON on success, an RFC 9457 {@link Problem} on failure (400 names the
 * field, 404 for unknown customers, 503 when the database is down, 500 otherwise; the last two generic, with a
 * correlation id under which the log keeps the detail), and records its latency in {@link Metrics}.
 */
public final class DecisionApi {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionApi.class);
  private static final int MAX_TRANSACTIONS = RequestJson.MAX_ARRAY;
  /** Request fields that replace what the store knows of a customer: they need the facts role. */
  private static final List<String> SUPPLIED = List.of("facts", "recent_contacts", "transactions");
  /** The trace inputs that mark a decision made from caller-supplied data. */
  static final String INPUTS_SOURCE = "Inputs Source";

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private static final com.fasterxml.jackson.databind.ObjectMapper SNAKE =
      Json.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final Settings settings;
  private final Store store;
  private final RuleSetRegistry rules;
  private final DecisionService decisions;
  private final DecisionLog decisionLog;
  private final DecisionInputs decisionInputs;
  private final Explainer explainer;
  private final ModelRegistry models;
  private final ScorePopulation population;
  private final ApiKeys keys;
  private final RateLimits limits;
  private final Metrics metrics;
  private final Simulation simulation;
  private final Semaphore simulations = new Semaphore(1);
  private volatile ModelRegistry.Loaded champion;

  public DecisionApi(
      Settings settings,
      Store store,
      RuleSetRegistry rules,
      DecisionService decisions,
      DecisionLog decisionLog,
      ModelRegistry models,
      ApiKeys keys,
      int requestsPerSecondPerKey,
      Metrics metrics,
      Simulation simulation) {
    this.settings = settings;
    this.store = store;
    this.rules = rules;
    this.decisions = decisions;
    this.decisionLog = decisionLog;
    this.decisionInputs = new DecisionInputs(store);
    this.explainer = new Explainer(new RuleSetHistory(store));
    this.models = models;
    this.population = new ScorePopulation(store, Duration.ofSeconds(60));
    this.keys = keys;
    this.limits = new RateLimits(requestsPerSecondPerKey);
    this.metrics = metrics;
    this.simulation = simulation;
  }

  private interface Handler {
    Object handle(Exchange exchange) throws Exception;
  }

  /** Runs a handler: JSON 200 (or the status it set), a problem on failure, latency into the metrics. */
  private void answer(Exchange ex, String route, Handler h) {
    long t0 = System.nanoTime();
    int status;
    try {
      Object body = h.handle(ex);
      Integer set = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
      status = set == null ? 200 : set;
      ex.getMessage().removeHeaders("*");
      ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
      if (body instanceof String text) {
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.getMessage().setBody(text);
      } else {
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(Json.write(body));
      }
    } catch (Problem p) {
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      status = p.status();
    } catch (Exception | Error e) {
      ex.getMessage().removeHeaders("*");
      Problem p = failure(route, e);
      p.reply(ex);
      status = p.status();
    }
    metrics.request(route, status, System.nanoTime() - t0);
  }

  /**
   * A generic problem for a server-side failure: 503 when the database does not answer, 500 otherwise. The body says
   * nothing of the cause (no SQL, URL, path, class or library message); the log has it all under the correlation id.
   */
  private static Problem failure(String route, Throwable e) {
    String id = UUID.randomUUID().toString();
    boolean database = false;
    for (Throwable t = e; t != null && !database; t = t.getCause() == t ? null : t.getCause()) {
      database = t instanceof StoreException || t instanceof java.sql.SQLException;
    }
    LOG.error("{} failed, correlation id {}", route, id, e);
    return database ? Problem.unavailable("the database", id) : Problem.internal(id);
  }

  // ---- keys, roles, rate limit ----------------------------------------------------------------------------------

  /**
   * The caller of this request: a known key ({@code Authorization: Bearer KEY}) with at least one of {@code roles},
   * within its rate limit; else 401 (no or unknown key), 403 (another role) or 429.
   */
  private Caller authorize(Exchange e, Role... roles) {
    // platform-http also turns query parameters into headers: a key in the URL (kept by proxies and browser
    // histories) is refused rather than read
    String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
    if (query != null && query.toLowerCase(java.util.Locale.ROOT).contains("authorization")) {
      throw Problem.badRequest("Authorization", "send the API key in the Authorization header, never in the URL");
    }
    String header = e.getMessage().getHeader("Authorization", String.class);
    String key = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = header.substring(7).strip();
    }
    Caller caller = keys.identify(key);
    if (caller == null) {
      throw Problem.unauthorized();
    }
    boolean allowed = false;
    for (Role r : roles) {
      allowed |= caller.has(r);
    }
    if (!allowed) {
      throw Problem.forbidden("this call needs a key with the role "
          + String.join(" or ", java.util.Arrays.stream(roles).map(Role::label).toList()), null);
    }
    limits.acquire(caller.keyId());
    return caller;
  }

  /**
   * The guard of {@code POST /api/v1/events/transactions} (the route {@code ingest-transaction-events}, which calls it
   * before reading the event): a decide key within its rate limit and a JSON content type. Replies with the problem
   * and returns false when the event must not be read.
   */
  public boolean admitEvent(Exchange ex) {
    try {
      authorize(ex, Role.DECIDE);
      RequestJson.requireJsonType(ex);
      return true;
    } catch (Problem p) {
      ex.getMessage().removeHeaders("*");
      p.reply(ex);
      metrics.request("POST /api/v1/events/transactions", p.status(), 0);
      return false;
    }
  }

  // ---- decisions ----------------------------------------------------------------------------------------------

  /**
   * {@code POST /api/v1/decisions} (role decide). With {@code customer_id} alone the customer is decided from the
   * store. {@code facts}, {@code recent_contacts} and {@code transactions} also need the role facts; they never relax
   * a hold the store knows of (the stricter of stored and supplied consent, fraud flag, complaints and contacts wins),
   * a known customer is scored from their stored score or history (plus the supplied lines), and the trace of such a
   * decision is marked with {@value #INPUTS_SOURCE}.
   */
  public void decide(Exchange ex) {
    answer(ex, "POST /api/v1/decisions", e -> {
      Caller caller = authorize(e, Role.DECIDE);
      JsonNode body = RequestJson.object(e);
      List<String> supplied = SUPPLIED.stream().filter(body::has).toList();
      for (String f : supplied) {
        if (!caller.has(Role.FACTS)) {
          throw Problem.forbidden("the field " + f + " needs a key that also has the role facts; send customer_id"
              + " alone to decide from what the store knows", f);
        }
      }
      String customerId = requiredText(body, "customer_id");
      Decision d;
      if (supplied.isEmpty()) {
        Optional<Decision> known = decisions.decide(customerId);
        d = known.orElseThrow(() -> Problem.notFound(
            "customer " + customerId + " has no score: send the customer's facts and transactions to score it now"));
        count(d);
        return decisionJson(d, null, null);
      }
      Supplied in = supplied(customerId, body, supplied);
      d = decisions.decide(in.input());
      markTrace(d, supplied);
      count(d);
      return decisionJson(d, in.scored(), "request: " + String.join(", ", supplied));
    });
  }

  /** A decision input built from a request's data, with the fresh score when the customer was (re)scored. */
  private record Supplied(DecisionInput input, ScoredCustomer scored) {}

  private Supplied supplied(String customerId, JsonNode body, List<String> fields) {
    CustomerFacts given = facts(customerId, body.get("facts"));
    Integer givenContacts = optionalInt(body, "recent_contacts", "recent_contacts");
    LocalDate asOf = asOf(body);
    Instant since = Instant.now().minus(Duration.ofDays(settings.intValue("valuetier.decide.fatigue.window-days", 1, 3650)));
    CustomerFacts stored = StoredCustomer.facts(store, customerId);
    Optional<DecisionInput> known = decisionInputs.readInput(customerId, since);
    CustomerFacts f = stricter(stored, given);
    int contacts = Math.max(givenContacts == null ? 0 : givenContacts,
        known.map(DecisionInput::recentContacts).orElseGet(() -> decisionInputs.recentContacts(customerId, since)));
    ScoredCustomer s = null;
    DecisionInput base;
    if (known.isPresent() && !fields.contains("transactions")) {
      // a known customer without new lines keeps the score the batch gave them from their whole history
      base = known.get();
    } else {
      LocalDate cutoff = asOf;
      List<Transaction> lines = new ArrayList<>();
      if (known.isPresent()) {
        List<Transaction> added = transactions(customerId, body.get("transactions"), asOf == null ? LocalDate.MAX : asOf);
        if (cutoff == null) {
          cutoff = StoredCustomer.scoreCutoff(store, customerId);
          for (Transaction t : added) {
            LocalDate day = t.timestamp().toLocalDate();
            cutoff = cutoff == null || day.isAfter(cutoff) ? day : cutoff;
          }
        }
        lines.addAll(StoredCustomer.transactions(store, customerId, cutoff));
        lines.addAll(added);
      } else {
        cutoff = asOf == null ? LocalDate.now() : asOf;
        lines.addAll(transactions(customerId, body.get("transactions"), cutoff));
      }
      s = scorer().score(customerId, f, lines, cutoff);
      ModelRegistry.Loaded c = champion;
      base = new DecisionInput(
          customerId,
          BigDecimal.valueOf(s.spend()).setScale(2, RoundingMode.HALF_EVEN),
          BigDecimal.valueOf(population.percentile(s.spend())).setScale(2, RoundingMode.HALF_EVEN),
          BigDecimal.valueOf(s.probability()).setScale(4, RoundingMode.HALF_EVEN),
          s.coldStart(),
          c.entry().modelId(),
          "v" + c.entry().version(),
          BigDecimal.valueOf(s.tenureDays()),
          BigDecimal.valueOf(s.returnsRatio()).setScale(4, RoundingMode.HALF_EVEN),
          null, null, null, null, null, null, 0);
    }
    DecisionInput in = new DecisionInput(
        customerId, base.predictedSpend(), base.valuePercentile(), base.probabilityActive(), base.coldStart(),
        base.modelId(), base.modelVersion(), base.tenureDays(), base.returnsRatio(),
        f == null ? null : f.marketingConsent(),
        f == null ? null : f.loyaltyMember(),
        f == null || f.openComplaints() == null ? null : BigDecimal.valueOf(f.openComplaints()),
        f == null ? null : f.fraudFlag(),
        f == null ? null : f.country(),
        f == null ? null : f.segment(),
        contacts);
    return new Supplied(in, s);
  }

  /**
   * The facts a decision is made from: the supplied ones where the store knows nothing, and never less strict than
   * the store: consent is false when either says false, the fraud flag true when either says true, complaints the
   * larger count. Descriptive facts (segment, country, loyalty, signup) are taken from the request when given.
   */
  static CustomerFacts stricter(CustomerFacts stored, CustomerFacts given) {
    if (stored == null) {
      return given;
    }
    if (given == null) {
      return stored;
    }
    Boolean consent = Boolean.FALSE.equals(stored.marketingConsent()) || Boolean.FALSE.equals(given.marketingConsent())
        ? Boolean.FALSE
        : stored.marketingConsent() != null ? stored.marketingConsent() : given.marketingConsent();
    Boolean fraud = Boolean.TRUE.equals(stored.fraudFlag()) || Boolean.TRUE.equals(given.fraudFlag())
        ? Boolean.TRUE
        : stored.fraudFlag() != null ? stored.fraudFlag() : given.fraudFlag();
    Integer complaints = stored.openComplaints() == null ? given.openComplaints()
        : given.openComplaints() == null ? stored.openComplaints()
        : Integer.valueOf(Math.max(stored.openComplaints(), given.openComplaints()));
    return new CustomerFacts(
        stored.customerId(),
        given.segment() != null ? given.segment() : stored.segment(),
        given.country() != null ? given.country() : stored.country(),
        consent,
        given.loyaltyMember() != null ? given.loyaltyMember() : stored.loyaltyMember(),
        given.signupDate() != null ? given.signupDate() : stored.signupDate(),
        complaints,
        fraud);
  }

  /**
   * Marks the stored trace of a decision made from supplied data: its inputs get {@value #INPUTS_SOURCE} (which
   * request fields were used; the stricter stored holds were applied), which the explanation and GET show.
   */
  private void markTrace(Decision d, List<String> supplied) {
    Map<String, Object> inputs = decisionLog.byId(d.decisionId()).map(LoggedDecision::inputs)
        .map(LinkedHashMap<String, Object>::new).orElseGet(LinkedHashMap::new);
    inputs.put(INPUTS_SOURCE, "request: " + String.join(", ", supplied) + " (stricter stored holds kept)");
    store.execute("UPDATE decisions SET inputs = ? WHERE decision_id = ?", Json.write(inputs), d.decisionId());
  }

  private void count(Decision d) {
    metrics.decision(d.valueTier(), d.actionCode());
    if (d.matchedRows() != null) {
      for (String r : d.matchedRows().split(";")) {
        metrics.ruleHit(r);
      }
    }
  }

  private static LocalDate asOf(JsonNode body) {
    if (!body.hasNonNull("as_of")) {
      return null;
    }
    String text = body.get("as_of").asText();
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("as_of", "as_of must be a date like 2026-11-28, not '" + Problem.quote(text) + "'");
    }
  }

  private CustomerScorer scorer() {
    ModelRegistry.Loaded c = champion;
    if (c == null) {
      synchronized (this) {
        if (champion == null) {
          try {
            champion = models.loadChampion();
          } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.error("no champion model to score with, correlation id {}", id, e);
            Problem p = Problem.unavailable("scoring new data (no champion model could be loaded)", id);
            throw p;
          }
        }
        c = champion;
      }
    }
    return new CustomerScorer(c.model(), io.valuetier.model.ModelSettings.from(settings));
  }

  private static CustomerFacts facts(String customerId, JsonNode f) {
    if (f == null || f.isNull()) {
      return null;
    }
    if (!f.isObject()) {
      throw Problem.badRequest("facts", "facts must be an object");
    }
    LocalDate signup = null;
    if (f.hasNonNull("signup_date")) {
      try {
        signup = LocalDate.parse(f.get("signup_date").asText());
      } catch (DateTimeParseException e) {
        throw Problem.badRequest("facts.signup_date", "facts.signup_date must be a date like 2024-01-31");
      }
    }
    return new CustomerFacts(
        customerId,
        shortText(f, "segment", "facts.segment"),
        shortText(f, "country", "facts.country"),
        optionalBool(f, "marketing_consent", "facts.marketing_consent"),
        optionalBool(f, "loyalty_member", "facts.loyalty_member"),
        signup,
        optionalInt(f, "open_complaints", "facts.open_complaints"),
        optionalBool(f, "fraud_flag", "facts.fraud_flag"));
  }

  /** The request's transactions, cleaned by the same rules as files; a bad one is a 400 that names it. */
  private List<Transaction> transactions(String customerId, JsonNode arr, LocalDate asOf) {
    if (arr == null || arr.isNull()) {
      return List.of();
    }
    if (!arr.isArray()) {
      throw Problem.badRequest("transactions", "transactions must be an array of order lines");
    }
    if (arr.size() > MAX_TRANSACTIONS) {
      throw Problem.badRequest("transactions", "at most " + MAX_TRANSACTIONS + " transactions per request");
    }
    CleaningRules rules = CleaningRules.from(settings, LocalDateTime.now());
    TransactionCleaner cleaner = TransactionCleaner.forSingleRecords(rules);
    List<Transaction> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode t = arr.get(i);
      String path = "transactions[" + i + "]";
      if (!t.isObject()) {
        throw Problem.badRequest(path, path + " must be an object");
      }
      TransactionDraft d = new TransactionDraft();
      d.customerId = customerId;
      d.orderId = scalar(t, "order_id", path);
      d.date = scalar(t, "order_date", path);
      d.productId = scalar(t, "product_id", path);
      d.description = scalar(t, "description", path);
      d.quantity = scalar(t, "quantity", path);
      d.unitPrice = scalar(t, "unit_price", path);
      d.currency = scalar(t, "currency", path);
      d.country = scalar(t, "country", path);
      boundedNumber(path + ".quantity", d.quantity);
      boundedNumber(path + ".unit_price", d.unitPrice);
      if (d.date == null) {
        throw Problem.badRequest(path + ".order_date", path + ".order_date is required");
      }
      if (d.quantity == null) {
        throw Problem.badRequest(path + ".quantity", path + ".quantity is required");
      }
      if (d.unitPrice == null) {
        throw Problem.badRequest(path + ".unit_price", path + ".unit_price is required");
      }
      TransactionCleaner.Result r = cleaner.clean(i + 1, d, t::toString);
      if (r.rejected() != null) {
        String col = r.rejected().column();
        String field = col == null ? path : path + "." + ("date".equals(col) ? "order_date" : col);
        throw Problem.badRequest(field, field + ": " + r.rejected().message() + " (" + r.rejected().reason()
            + (r.rejected().value() == null ? "" : ", value '" + Problem.quote(r.rejected().value()) + "'") + ")");
      }
      if (r.accepted().timestamp().toLocalDate().isAfter(asOf)) {
        throw Problem.badRequest(path + ".order_date", path + ".order_date is after as_of " + asOf);
      }
      out.add(r.accepted());
    }
    return out;
  }

  private static Map<String, Object> decisionJson(Decision d, ScoredCustomer s, String inputsSource) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", Long.toString(d.decisionId()));
    m.put("customer_id", d.customerId());
    Map<String, Object> p = new LinkedHashMap<>();
    DecisionInput in = d.input();
    p.put("predicted_spend", in.predictedSpend());
    p.put("probability_active", in.probabilityActive());
    p.put("value_percentile", in.valuePercentile());
    p.put("cold_start", in.coldStart());
    p.put("model_id", in.modelId());
    p.put("model_version", in.modelVersion());
    if (s != null) {
      p.put("reasons", s.reasons().stream().map(Reason::text).toList());
    }
    m.put("prediction", p);
    m.put("tier", d.valueTier());
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("code", d.actionCode());
    a.put("channel", d.channel());
    a.put("offer", d.offer());
    a.put("priority", d.priority());
    m.put("action", a);
    m.put("service_level", d.serviceLevel());
    m.put("reasons", reasons(d));
    m.put("rule_set", d.ruleSetVersion());
    m.put("rule_set_role", d.ruleSetRole());
    m.put("matched_rows", d.matchedRows());
    m.put("control_group", d.controlGroup());
    m.put("decided_at", d.decidedAt().toString());
    if (inputsSource != null) {
      m.put("inputs_source", inputsSource);
    }
    return m;
  }

  private static List<String> reasons(Decision d) {
    List<String> r = new ArrayList<>(d.rowReasons());
    for (Intervention i : d.interventions()) {
      r.add(i.code() + ": " + i.reason());
    }
    return r;
  }

  /**
   * {@code GET /api/v1/customers/{id}/decision}: with an analyst key the decision with its whole trace (inputs such
   * as consent, fraud flag, complaints and spend, and the explanation); with a decide key the decision as
   * {@code POST /api/v1/decisions} answers it, without the personal trace inputs, the predicted value and the
   * explanation.
   */
  public void latest(Exchange ex) {
    answer(ex, "GET /api/v1/customers/{id}/decision", e -> {
      Caller caller = authorize(e, Role.ANALYST, Role.DECIDE);
      String id = e.getMessage().getHeader("id", String.class);
      if (id == null || id.isBlank() || id.length() > 64) {
        throw Problem.badRequest("id", "the customer id in the path must be 1 to 64 characters");
      }
      LoggedDecision d = decisionLog.latest(id)
          .orElseThrow(() -> Problem.notFound("no decision for customer " + id));
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> fields = new LinkedHashMap<>();
      d.fields().forEach((name, value) -> fields.put(SNAKE_CASE.translate(name), value));
      @SuppressWarnings("unchecked")
      Map<String, Object> decision = SNAKE.convertValue(fields, Map.class);
      Object source = d.inputs().get(INPUTS_SOURCE);
      if (source != null) {
        decision.put("inputs_source", source);
      }
      if (caller.has(Role.ANALYST)) {
        m.put("decision", decision);
        m.put("explanation", explainer.explain(d));
      } else {
        decision.keySet().removeAll(PERSONAL_TRACE);
        m.put("decision", decision);
        m.put("trace", "the trace inputs and explanation need a key with the role analyst");
      }
      return m;
    });
  }

  /** What a decide key does not see of a stored decision: the personal inputs and the predicted value. */
  private static final Set<String> PERSONAL_TRACE = Set.of("inputs", "predicted_value");

  // ---- what-if --------------------------------------------------------------------------------------------------

  /** {@code POST /api/v1/simulations}: a candidate DMN and/or DRL in, the impact against the active rules out. */
  public void simulate(Exchange ex) {
    answer(ex, "POST /api/v1/simulations", e -> {
      authorize(e, Role.ANALYST);
      JsonNode body = RequestJson.object(e);
      String dmn = optionalText(body, "dmn", "dmn");
      String drl = optionalText(body, "drl", "drl");
      if (dmn == null && drl == null) {
        throw Problem.badRequest("dmn", "give the candidate as \"dmn\" (DMN XML) and/or \"drl\" (DRL text)");
      }
      if (!simulations.tryAcquire()) {
        throw new Problem(429, "busy", "busy", "a simulation is already running; try again when it has finished",
            null);
      }
      try {
        Simulation.Result r = simulation.run(dmn, drl);
        if (!r.accepted()) {
          e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("title", "the candidate rule set is refused");
          m.put("messages", r.messages().stream().map(ValidationMessage::toString).toList());
          return m;
        }
        Impact impact = r.impact();
        Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(impact, Map.class));
        m.put("warnings", r.messages().stream().map(ValidationMessage::toString).toList());
        return m;
      } finally {
        simulations.release();
      }
    });
  }

  // ---- rules administration (token) -----------------------------------------------------------------------------

  /** {@code POST /api/v1/rules/reload}. */
  public void reload(Exchange ex) {
    answer(ex, "POST /api/v1/rules/reload", e -> {
      authorize(e, Role.ADMIN);
      RuleSetRegistry.Outcome o = rules.reload();
      metrics.reload(o.refused() ? "refused" : o.activated() ? "activated" : "unchanged");
      if (o.refused()) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
      }
      Map<String, Object> m = outcome(o);
      // a challenger is reloaded too; its refusal does not refuse the champion, so it does not change the status
      rules.challengerOutcome().ifPresent(c -> m.put("challenger", outcome(c)));
      return m;
    });
  }

  /** {@code GET /api/v1/rules/versions}. */
  public void versions(Exchange ex) {
    answer(ex, "GET /api/v1/rules/versions", e -> {
      authorize(e, Role.ADMIN);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("active", rules.current().map(r -> r.version()).orElse(null));
      m.put("challenger", rules.challenger().map(c -> c.ruleSet().version()).orElse(null));
      m.put("activations", rules.history().activations());
      return m;
    });
  }

  /** {@code POST /api/v1/rules/rollback} with {@code {"version": "..."}}. */
  public void rollback(Exchange ex) {
    answer(ex, "POST /api/v1/rules/rollback", e -> {
      authorize(e, Role.ADMIN);
      JsonNode body = RequestJson.object(e);
      String version = requiredText(body, "version");
      if (!version.matches("[0-9a-fA-F]{4,64}")) {
        throw Problem.badRequest("version", "version must be a rule-set id (hexadecimal), as GET /api/v1/rules/versions lists");
      }
      RuleSetRegistry.Outcome o;
      try {
        o = rules.rollback(version);
      } catch (IllegalArgumentException unknown) {
        throw Problem.notFound("no stored rule-set version " + version + ": GET /api/v1/rules/versions lists them");
      }
      metrics.reload(o.refused() ? "refused" : "rolled_back");
      if (o.refused()) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
      }
      return outcome(o);
    });
  }

  /** How many customers one erasure request may name. */
  static final int MAX_ERASURES = 1_000;

  /**
   * {@code POST /api/v1/customers/erasures} with {@code {"customer_ids": ["..."]}} (admin): erases the customers'
   * personal data from every table and refuses their later rows ({@link CustomerErasure}); the files published
   * earlier that still hold them are named relative to the installation, for the operator to delete.
   */
  public void erase(Exchange ex) {
    answer(ex, "POST /api/v1/customers/erasures", e -> {
      authorize(e, Role.ADMIN);
      JsonNode body = RequestJson.object(e);
      JsonNode ids = body.get("customer_ids");
      if (ids == null || !ids.isArray() || ids.isEmpty()) {
        throw Problem.badRequest("customer_ids", "customer_ids must be a non-empty array of customer ids");
      }
      if (ids.size() > MAX_ERASURES) {
        throw Problem.badRequest("customer_ids", "at most " + MAX_ERASURES + " customer ids per request");
      }
      List<String> list = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        JsonNode v = ids.get(i);
        String field = "customer_ids[" + i + "]";
        if (!v.isTextual() && !v.isIntegralNumber()) {
          throw Problem.badRequest(field, field + " must be a string");
        }
        String id = v.asText().strip();
        if (id.isEmpty() || id.length() > 64) {
          throw Problem.badRequest(field, field + " must be 1 to 64 characters");
        }
        list.add(id);
      }
      CustomerErasure.Erasure done = CustomerErasure.of(settings, store).forget(list);
      Path home = settings.home().toAbsolutePath().normalize();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("customers", done.customers().size());
      m.put("newly_marked", done.newlyMarked());
      m.put("rows_deleted", done.rowsDeleted());
      m.put("texts_scrubbed", done.textsScrubbed());
      m.put("files_still_holding_them", done.filesStillHoldingThem().stream()
          .map(f -> {
            Path a = f.toAbsolutePath().normalize();
            return (a.startsWith(home) ? home.relativize(a) : a.getFileName()).toString();
          })
          .toList());
      return m;
    });
  }

  /** {@code GET /api/v1/rules/comparison[?run=N]}: champion against challenger in one decision run (aggregates). */
  public void comparison(Exchange ex) {
    answer(ex, "GET /api/v1/rules/comparison", e -> {
      authorize(e, Role.ANALYST);
      String run = e.getMessage().getHeader("run", String.class);
      long id;
      if (run == null || run.isBlank()) {
        id = io.valuetier.feedback.RuleSetComparison.latestRun(store);
        if (id <= 0) {
          throw Problem.notFound("no decision run yet: run `valuetier decide` first");
        }
      } else {
        try {
          id = Long.parseLong(run.strip());
        } catch (NumberFormatException bad) {
          throw Problem.badRequest("run", "run must be a decision run number, not '" + Problem.quote(run) + "'");
        }
      }
      var c = io.valuetier.feedback.RuleSetComparison.compute(store, id);
      if (c.decisions() == 0) {
        throw Problem.notFound("decision run " + id + " has no decisions");
      }
      Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(c, Map.class));
      m.put("challenger", rules.challenger().map(ch -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("version", ch.ruleSet().version());
        x.put("share", ch.share());
        return x;
      }).orElse(null));
      return m;
    });
  }

  private static Map<String, Object> outcome(RuleSetRegistry.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activated", o.activated());
    m.put("version", o.version());
    m.put("result", o.reason());
    m.put("messages", o.messages().stream().map(ValidationMessage::toString).toList());
    return m;
  }

  // ---- models, health, metrics ----------------------------------------------------------------------------------

  /** {@code GET /api/v1/models}: the champion and every registered model with its card's headline. */
  public void models(Exchange ex) {
    answer(ex, "GET /api/v1/models", e -> {
      authorize(e, Role.ANALYST, Role.ADMIN);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("champion", models.champion().orElse(null));
      m.put("models", models.cards());
      return m;
    });
  }

  /** {@code GET /health}: 200 when the store answers and a rule set is active, else 503. */
  public void health(Exchange ex) {
    answer(ex, "GET /health", e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean db;
      try {
        store.queryLong("SELECT 1");
        db = true;
      } catch (RuntimeException down) {
        db = false;
      }
      boolean ruleSet = rules.current().isPresent();
      boolean model = models.champion().isPresent();
      m.put("status", db && ruleSet ? "UP" : "DOWN");
      m.put("database", db ? "UP" : "DOWN");
      m.put("rule_set", rules.current().map(r -> r.version()).orElse(null));
      m.put("model", models.champion().map(ModelRegistry.Champion::modelId).orElse(null));
      m.put("decisions", metrics.decisions());
      if (!(db && ruleSet)) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
      }
      if (!model) {
        m.put("note", "no champion model: decisions for known customers work, new customers cannot be scored");
      }
      return m;
    });
  }

  /** {@code GET /metrics} in the Prometheus text format (role metrics or admin). */
  public void metrics(Exchange ex) {
    answer(ex, "GET /metrics", e -> {
      authorize(e, Role.METRICS, Role.ADMIN);
      return metrics.prometheus();
    });
  }

  /** {@code GET /api/v1/openapi.json}: the OpenAPI document (kept as YAML in the jar, served as JSON), any key. */
  public void openapi(Exchange ex) {
    answer(ex, "GET /api/v1/openapi.json", e -> {
      authorize(e, Role.values());
      return OPENAPI;
    });
  }

  private static final Object OPENAPI = loadOpenApi();

  private static Object loadOpenApi() {
    try (java.io.InputStream in = DecisionApi.class.getResourceAsStream("/api/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document /api/openapi.yaml is missing from the jar");
      }
      String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
          .loadFromString(yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- request helpers ------------------------------------------------------------------------------------------

  private static String requiredText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw Problem.badRequest(field, field + " is required");
    }
    if (!v.isTextual() && !v.isIntegralNumber()) {
      throw Problem.badRequest(field, field + " must be a string");
    }
    String s = v.asText().strip();
    if (s.isEmpty() || s.length() > 64) {
      throw Problem.badRequest(field, field + " must be 1 to 64 characters");
    }
    return s;
  }

  private static String optionalText(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw Problem.badRequest(path, path + " must be a string");
    }
    return v.asText();
  }

  private static String shortText(JsonNode n, String field, String path) {
    String v = optionalText(n, field, path);
    if (v != null && v.length() > 64) {
      throw Problem.badRequest(path, path + " must be at most 64 characters");
    }
    return v;
  }

  private static Boolean optionalBool(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw Problem.badRequest(path, path + " must be true or false");
    }
    return v.asBoolean();
  }

  private static Integer optionalInt(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > 1_000_000) {
      throw Problem.badRequest(path, path + " must be a whole number from 0");
    }
    return v.asInt();
  }

  /** A number or a string as text (the cleaning rules read both), anything else a 400. */
  private static String scalar(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      throw Problem.badRequest(path + "." + field, path + "." + field + " must be a string or a number");
    }
    return v.asText();
  }

  /**
   * Refuses a quantity or price whose number is out of any sensible range before it reaches the cleaner, quoting at
   * most 64 characters of it: such a value (say {@code 1e999999999}) is cheap to read but huge to print in full.
   */
  private static void boundedNumber(String field, String text) {
    String problem = TransactionEventIngest.unboundedNumber(text);
    if (problem != null) {
      throw Problem.badRequest(field, field + ": '" + Problem.quote(text) + "' " + problem);
    }
  }
}
