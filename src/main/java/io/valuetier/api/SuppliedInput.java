package io.valuetier.api;

import static io.valuetier.api.RequestFields.optionalBool;
import static io.valuetier.api.RequestFields.optionalInt;
import static io.valuetier.api.RequestFields.scalar;
import static io.valuetier.api.RequestFields.shortText;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.clean.CleaningRules;
import io.valuetier.clean.TransactionCleaner;
import io.valuetier.config.Settings;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.ingest.TransactionJson;
import io.valuetier.model.CustomerScorer;
import io.valuetier.model.ModelSettings;
import io.valuetier.model.ScoredCustomer;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.records.CustomerFacts;
import io.valuetier.records.Transaction;
import io.valuetier.records.TransactionDraft;
import io.valuetier.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision input of a {@code POST /api/v1/decisions} that supplies data ({@code facts}, {@code recent_contacts},
 * {@code transactions}): the supplied facts never relax a hold the store knows of ({@link #stricter}), a known
 * customer keeps their stored score unless new lines come, and new lines (cleaned by the same rules as files, mapped
 * as events are by {@link TransactionJson}) are scored by the champion model with the stored history. A bad field is
 * a 400 {@link Problem} that names it.
 */
public final class SuppliedInput {
  private static final Logger LOG = LoggerFactory.getLogger(SuppliedInput.class);
  private static final int MAX_TRANSACTIONS = RequestJson.MAX_ARRAY;

  private final Settings settings;
  private final ModelSettings modelSettings;
  private final Store store;
  private final DecisionInputs decisionInputs;
  private final ModelRegistry models;
  private final int contactWindowDays;
  private final ScorePopulation population;
  private volatile ModelRegistry.Loaded champion;

  public SuppliedInput(
      Settings settings, Store store, DecisionInputs decisionInputs, ModelRegistry models, int contactWindowDays) {
    this.settings = settings;
    this.modelSettings = ModelSettings.from(settings);
    this.store = store;
    this.decisionInputs = decisionInputs;
    this.models = models;
    this.contactWindowDays = contactWindowDays;
    this.population = new ScorePopulation(store, Duration.ofSeconds(60));
  }

  /** A decision input built from a request's data, with the fresh score when the customer was (re)scored. */
  public record Built(DecisionInput input, ScoredCustomer scored) {}

  /**
   * The input to decide {@code customerId} from the request {@code body}, whose supplied {@code fields} are some of
   * {@code facts}, {@code recent_contacts} and {@code transactions}.
   */
  Built build(String customerId, JsonNode body, List<String> fields) {
    CustomerFacts given = facts(customerId, body.get("facts"));
    Integer givenContacts = optionalInt(body, "recent_contacts", "recent_contacts");
    LocalDate asOf = asOf(body);
    Instant since = Instant.now().minus(Duration.ofDays(contactWindowDays));
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
      base = scoredInput(customerId, s);
    }
    return new Built(withFacts(base, f, contacts), s);
  }

  /**
   * The input to decide {@code customerId} from what the store knows once a new event of theirs is stored (the Kafka
   * worker): the stored facts and recent contacts, and a fresh score by the champion from the stored order lines up
   * to {@code asOf} (the event's day) included.
   */
  public Built fromStore(String customerId, LocalDate asOf) {
    Instant since = Instant.now().minus(Duration.ofDays(contactWindowDays));
    CustomerFacts f = StoredCustomer.facts(store, customerId);
    int contacts = decisionInputs.recentContacts(customerId, since);
    List<Transaction> lines = StoredCustomer.transactions(store, customerId, asOf);
    ScoredCustomer s = scorer().score(customerId, f, lines, asOf);
    return new Built(withFacts(scoredInput(customerId, s), f, contacts), s);
  }

  /**
   * Loads the champion model again on the next scoring (a promotion or rollback announced by another instance), and
   * returns its id as the registry names it now.
   */
  public String reloadChampion() {
    synchronized (this) {
      champion = null;
    }
    scorer();
    return champion.entry().modelId();
  }

  private DecisionInput scoredInput(String customerId, ScoredCustomer s) {
    ModelRegistry.Loaded c = champion;
    return new DecisionInput(
        customerId,
        BigDecimal.valueOf(s.spend()).setScale(2, RoundingMode.HALF_EVEN),
        BigDecimal.valueOf(population.percentile(s.spend())).setScale(2, RoundingMode.HALF_EVEN),
        BigDecimal.valueOf(s.probability()).setScale(4, RoundingMode.HALF_EVEN),
        s.coldStart(),
        c.entry().modelId(),
        "v" + c.entry().version(),
        BigDecimal.valueOf(s.tenureDays()),
        BigDecimal.valueOf(s.returnsRatio()).setScale(4, RoundingMode.HALF_EVEN),
        null, null, null, null, null, null, 0, s.reasonTexts(),
        s.spendLow() == null ? null : BigDecimal.valueOf(s.spendLow()).setScale(2, RoundingMode.HALF_EVEN),
        s.spendHigh() == null ? null : BigDecimal.valueOf(s.spendHigh()).setScale(2, RoundingMode.HALF_EVEN));
  }

  private static DecisionInput withFacts(DecisionInput base, CustomerFacts f, int contacts) {
    return new DecisionInput(
        base.customerId(), base.predictedSpend(), base.valuePercentile(), base.probabilityActive(), base.coldStart(),
        base.modelId(), base.modelVersion(), base.tenureDays(), base.returnsRatio(),
        f == null ? null : f.marketingConsent(),
        f == null ? null : f.loyaltyMember(),
        f == null || f.openComplaints() == null ? null : BigDecimal.valueOf(f.openComplaints()),
        f == null ? null : f.fraudFlag(),
        f == null ? null : f.country(),
        f == null ? null : f.segment(),
        contacts,
        base.modelReasons(),
        base.predictedSpendLow(),
        base.predictedSpendHigh());
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
    return new CustomerScorer(c.model(), modelSettings);
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
      TransactionDraft d = TransactionJson.draft(t, customerId, (line, field) -> scalar(line, field, path));
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

  /**
   * Refuses a quantity or price whose number is out of any sensible range before it reaches the cleaner, quoting at
   * most 64 characters of it: such a value (say {@code 1e999999999}) is cheap to read but huge to print in full.
   */
  private static void boundedNumber(String field, String text) {
    String problem = TransactionJson.unboundedNumber(text);
    if (problem != null) {
      throw Problem.badRequest(field, field + ": '" + Problem.quote(text) + "' " + problem);
    }
  }
}
