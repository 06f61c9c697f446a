package io.valuetier.decide.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valuetier.decide.Decision;
import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The decision log (H2 or MySQL): decision runs, each decision with its trace, and the contact log that contact
 * fatigue counts; reads a decision back for an explanation, marks contacts delivered and purges old runs.
 */
public final class DecisionLog {
  /** The columns of a decision row; its outcome's columns are in {@link DecisionOutcomes}. */
  private static final String ROW_COLUMNS =
      "decision_id,run_id,customer_id,decided_at,outcome_id,predicted_value,control_group,value_percentile,"
          + "probability_active,cold_start,tenure_days,returns_ratio,marketing_consent,loyalty_member,open_complaints,"
          + "fraud_flag,country,segment,recent_contacts,model_reason_1,model_reason_2,model_reason_3,products,"
          + "predicted_value_low,predicted_value_high";
  /** What an explanation reads back: the view {@code decisions} joins each row with its outcome. */
  private static final String TRACE_COLUMNS =
      "decision_id,run_id,customer_id,decided_at,rule_set,rule_set_role,model_id,model_version,value_tier,action_code,"
          + "channel,offer,priority,offer_cost,service_level,predicted_value,control_group,proposed_action,guardrails,"
          + "reasons,matched_rows,fired_rules,value_percentile,probability_active,cold_start,tenure_days,returns_ratio,"
          + "marketing_consent,loyalty_member,open_complaints,fraud_flag,country,segment,recent_contacts,input_note,"
          + "model_reason_1,model_reason_2,model_reason_3,products,predicted_value_low,predicted_value_high";
  private static final String CONTACT_COLUMNS = "decision_id,customer_id,action_code,channel,contacted_at,delivered_at";

  private final Store store;
  private final MultiRowInsert decisionInsert;
  private final MultiRowInsert contactInsert;
  private final DecisionOutcomes outcomes;

  public DecisionLog(Store store, int rowsPerInsert) {
    this.store = store;
    this.decisionInsert = new MultiRowInsert("INSERT", "decision_rows", ROW_COLUMNS, rowsPerInsert);
    this.outcomes = new DecisionOutcomes(rowsPerInsert);
    this.contactInsert = new MultiRowInsert("INSERT", "contact_log", CONTACT_COLUMNS, rowsPerInsert);
  }

  /** The store the log writes to: the inputs of deciding are read from the same one. */
  public Store store() {
    return store;
  }

  /** Starts a decision run and returns its id. */
  public long startRun(String kind, String ruleSet) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO decision_runs (kind, rule_set, started_at) VALUES (?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, kind);
      ps.setString(2, ruleSet);
      ps.setTimestamp(3, Timestamp.from(Instant.now()));
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        if (!rs.next()) {
          throw new StoreException("no run id was generated for the decision run");
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot start a decision run: " + e.getMessage(), e);
    }
  }

  /** Records the end of a run. */
  public void finishRun(long runId, long decisions, long failed, double perSecond, String summaryJson) {
    store.execute(
        "UPDATE decision_runs SET finished_at = ?, decisions = ?, failed = ?, decisions_per_second = ?, summary = ?"
            + " WHERE run_id = ?",
        Timestamp.from(Instant.now()), decisions, failed, perSecond, summaryJson, runId);
  }

  /** The first decision id of a run: decision ids are {@code runId * 2^32 + sequence}. */
  public static long firstDecisionId(long runId) {
    return runId << 32;
  }

  /**
   * Writes decisions with their trace, and a contact-log row for each one that contacts the customer. The contacts
   * count towards contact fatigue once their actions are delivered ({@link #markDelivered}), not before: a run whose
   * publishing fails contacts nobody.
   */
  public void write(List<Decision> decisions, long runId) {
    write(decisions, runId, false);
  }

  /**
   * Writes decisions whose actions reach the customer's channel as they are answered (an online caller receives the
   * action in the response): their contacts count at once.
   */
  public void writeAnswered(List<Decision> decisions, long runId) {
    write(decisions, runId, true, null);
  }

  /**
   * {@link #writeAnswered(List, long)} with {@code alongside} run in the same store transaction: both are committed or
   * neither (the Kafka worker records which event called for the decisions, so that a redelivered event finds its
   * decision instead of being decided twice).
   */
  public void writeAnswered(List<Decision> decisions, long runId, Store.TransactionWork<?> alongside) {
    write(decisions, runId, true, alongside);
  }

  /**
   * {@link #write(List, long)} with {@code alongside} run in the same store transaction, even when there are no
   * decisions: a bucket of the distributed batch is stored whole with the row that says it is done, or not at all.
   */
  public void write(List<Decision> decisions, long runId, Store.TransactionWork<?> alongside) {
    if (!decisions.isEmpty()) {
      write(decisions, runId, false, alongside);
      return;
    }
    try {
      store.inTransaction(alongside);
    } catch (SQLException e) {
      throw new StoreException("cannot write an empty part of run " + runId + ": " + e.getMessage(), e);
    }
  }

  private void write(List<Decision> decisions, long runId, boolean delivered) {
    write(decisions, runId, delivered, null);
  }

  private void write(List<Decision> decisions, long runId, boolean delivered, Store.TransactionWork<?> alongside) {
    if (decisions.isEmpty()) {
      return;
    }
    List<Decision> contacts = new ArrayList<>();
    for (Decision d : decisions) {
      if (d.isContact() && !d.controlGroup()) {
        contacts.add(d);
      }
    }
    try {
      long[] outcomeIds = store.inTransaction(c -> {
        long[] ids = outcomes.ensure(c, decisions);
        List<Row> rows = new ArrayList<>(decisions.size());
        for (int k = 0; k < ids.length; k++) {
          rows.add(new Row(decisions.get(k), ids[k]));
        }
        decisionInsert.insert(c, rows, (ps, i, r) -> bindDecision(ps, i, r.decision(), runId, r.outcomeId()));
        contactInsert.insert(c, contacts, (ps, i, d) -> bindContact(ps, i, d, delivered));
        if (alongside != null) {
          alongside.run(c);
        }
        return ids;
      });
      outcomes.committed(outcomeIds);
    } catch (SQLException e) {
      throw new StoreException("cannot write " + decisions.size() + " decisions: " + e.getMessage(), e);
    }
  }

  /** A decision and the id of its stored outcome. */
  private record Row(Decision decision, long outcomeId) {}

  private static void bindDecision(PreparedStatement ps, int i, Decision d, long runId, long outcomeId)
      throws SQLException {
    DecisionInput in = d.input();
    ps.setLong(i, d.decisionId());
    ps.setLong(i + 1, runId);
    ps.setString(i + 2, d.customerId());
    ps.setTimestamp(i + 3, Timestamp.from(d.decidedAt()));
    ps.setLong(i + 4, outcomeId);
    ps.setBigDecimal(i + 5, d.predictedValue());
    ps.setBoolean(i + 6, d.controlGroup());
    setDouble(ps, i + 7, in.valuePercentile());
    setDouble(ps, i + 8, in.probabilityActive());
    ps.setBoolean(i + 9, in.coldStart());
    setDouble(ps, i + 10, in.tenureDays());
    setDouble(ps, i + 11, in.returnsRatio());
    setBoolean(ps, i + 12, in.marketingConsent());
    setBoolean(ps, i + 13, in.loyaltyMember());
    setDouble(ps, i + 14, in.openComplaints());
    setBoolean(ps, i + 15, in.fraudFlag());
    ps.setString(i + 16, in.country());
    ps.setString(i + 17, in.segment());
    ps.setInt(i + 18, in.recentContacts());
    for (int k = 0; k < DecisionInput.MODEL_REASONS; k++) {
      ps.setString(i + 19 + k, in.modelReason(k));
    }
    ps.setString(i + 19 + DecisionInput.MODEL_REASONS, productsJson(d));
    ps.setBigDecimal(i + 20 + DecisionInput.MODEL_REASONS, in.predictedSpendLow());
    ps.setBigDecimal(i + 21 + DecisionInput.MODEL_REASONS, in.predictedSpendHigh());
  }

  /** The products of a decision as stored: JSON (null for none). */
  static String productsJson(Decision d) {
    return ProductPick.toJson(d.products());
  }

  private static void setDouble(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v.doubleValue());
    }
  }

  private static void setBoolean(PreparedStatement ps, int i, Boolean v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BOOLEAN);
    } else {
      ps.setBoolean(i, v);
    }
  }

  private static void bindContact(PreparedStatement ps, int i, Decision d, boolean delivered) throws SQLException {
    ps.setLong(i, d.decisionId());
    ps.setString(i + 1, d.customerId());
    ps.setString(i + 2, d.actionCode());
    ps.setString(i + 3, d.channel());
    ps.setTimestamp(i + 4, Timestamp.from(d.decidedAt()));
    if (delivered) {
      ps.setTimestamp(i + 5, Timestamp.from(d.decidedAt()));
    } else {
      ps.setNull(i + 5, Types.TIMESTAMP);
    }
  }

  /** The statement marking {@code n} contacts delivered (parameters: the moment, then the decision ids). */
  public static String markDeliveredSql(int n) {
    return "UPDATE contact_log SET delivered_at = ? WHERE delivered_at IS NULL AND decision_id IN ("
        + "?,".repeat(n - 1) + "?)";
  }

  /**
   * Marks the contacts of these decisions delivered at {@code at} (the first delivery counts), on the caller's
   * connection and transaction so that the delivery log and the contact count agree. Point updates by primary key, in
   * groups: no scan of the growing contact log. Ids that are not decision numbers (or not contacts) change nothing.
   */
  public static int markDelivered(Connection c, Collection<String> decisionIds, Timestamp at)
      throws SQLException {
    List<Long> ids = new ArrayList<>(decisionIds.size());
    for (String id : decisionIds) {
      try {
        ids.add(Long.parseLong(id));
      } catch (NumberFormatException notADecisionNumber) {
        // delivered records that do not come from the decision store (tests, hand-made batches) have no contact
      }
    }
    int group = Store.inList(c);
    int updated = 0;
    for (int from = 0; from < ids.size(); from += group) {
      int to = Math.min(ids.size(), from + group);
      try (PreparedStatement ps = c.prepareStatement(markDeliveredSql(to - from))) {
        ps.setTimestamp(1, at);
        for (int k = from; k < to; k++) {
          ps.setLong(k - from + 2, ids.get(k));
        }
        updated += ps.executeUpdate();
      }
    }
    return updated;
  }

  static String firedRulesJson(Decision d) {
    StringBuilder sb = new StringBuilder(200).append('[');
    for (int k = 0; k < d.interventions().size(); k++) {
      Intervention i = d.interventions().get(k);
      if (k > 0) {
        sb.append(',');
      }
      sb.append(new JsonText(160).field("code", i.code()).field("rule", i.rule()).field("reason", i.reason()).end());
    }
    return sb.append(']').toString();
  }

  /** The latest decision for a customer, if any (decision ids grow with runs and within a run). */
  public Optional<LoggedDecision> latest(String customerId) {
    String sql = "SELECT " + TRACE_COLUMNS + " FROM decisions WHERE customer_id = ? ORDER BY decision_id DESC"
        + " LIMIT 1";
    return query(sql, customerId);
  }

  /** One decision by id. */
  public Optional<LoggedDecision> byId(long decisionId) {
    return query("SELECT " + TRACE_COLUMNS + " FROM decisions WHERE decision_id = ?", decisionId);
  }

  private Optional<LoggedDecision> query(String sql, Object key) {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(LoggedDecision.read(rs)) : Optional.empty();
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException("cannot read the decision of " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes decisions and contacts of runs that started more than {@code retention} ago (whole runs, by decision-id
   * range); returns the number of decisions deleted.
   */
  public long purgeOlderThan(Duration retention) {
    Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
    long keepFrom = store.queryLong("SELECT COALESCE(MIN(run_id), -1) FROM decision_runs WHERE started_at >= ?", cutoff);
    if (keepFrom < 0) {
      keepFrom = store.queryLong("SELECT COALESCE(MAX(run_id), 0) + 1 FROM decision_runs");
    }
    long bound = firstDecisionId(keepFrom);
    int deleted = store.execute("DELETE FROM decision_rows WHERE decision_id < ?", bound);
    // the outcomes of decisions written before V90 are their own (numbered -decision_id); later ones are shared
    store.execute("DELETE FROM decision_outcomes WHERE outcome_id < 0 AND outcome_id > ?", -bound);
    store.execute("DELETE FROM contact_log WHERE decision_id < ?", bound);
    store.execute("DELETE FROM decision_runs WHERE run_id < ?", keepFrom);
    return deleted;
  }
}
