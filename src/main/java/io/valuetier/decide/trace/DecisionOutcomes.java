package io.valuetier.decide.trace;

import io.valuetier.decide.Decision;
import io.valuetier.decide.guardrails.Intervention;
import io.valuetier.decide.rules.Challenger;
import io.valuetier.store.MultiRowInsert;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct outcomes of decisions, each stored once in {@code decision_outcomes} and referenced by its id: a run of
 * a million decisions repeats a few hundred outcomes (tier, action, offer, service level, the matched DMN rows and
 * the guardrails with their reasons), so the trace writes a narrow row per decision instead of repeating them.
 *
 * <p>An outcome's id is 63 bits of the SHA-256 of its fields (so any process computes the same id for the same
 * outcome, and two workers writing it at once store it once); ids already written by this process are remembered, up
 * to {@value #REMEMBERED} of them, so that a run computes each digest once and inserts each outcome once.
 */
final class DecisionOutcomes {
  static final String COLUMNS =
      "outcome_id,rule_set,rule_set_role,model_id,model_version,value_tier,action_code,channel,offer,priority,"
          + "offer_cost,service_level,proposed_action,guardrails,reasons,matched_rows,fired_rules";
  private static final int REMEMBERED = 100_000;

  /** The fields of one outcome, as stored. */
  record Outcome(
      String ruleSet,
      String ruleSetRole,
      String modelId,
      String modelVersion,
      String valueTier,
      String actionCode,
      String channel,
      String offer,
      Integer priority,
      BigDecimal offerCost,
      String serviceLevel,
      String proposedAction,
      String guardrails,
      String reasons,
      String matchedRows,
      String firedRules) {

    static Outcome of(Decision d) {
      boolean nothingFired = d.firedRules().isEmpty() && d.interventions().isEmpty();
      return new Outcome(
          d.ruleSetVersion(),
          d.ruleSetRole() == null ? Challenger.CHAMPION : d.ruleSetRole(),
          d.modelId(),
          d.modelVersion(),
          d.valueTier(),
          d.actionCode(),
          d.channel(),
          d.offer(),
          d.priority(),
          d.offerCost(),
          d.serviceLevel(),
          d.proposedAction(),
          d.guardrailCodes().isEmpty() ? null : d.guardrailCodes(),
          LoggedDecision.clip(d.reasons()),
          d.matchedRows(),
          nothingFired ? null : LoggedDecision.clip(DecisionLog.firedRulesJson(d)));
    }

    /** 63 bits of the SHA-256 of the fields, each written with its length so that no two outcomes read the same. */
    long id() {
      StringBuilder sb = new StringBuilder(512);
      for (Object f : new Object[] {ruleSet, ruleSetRole, modelId, modelVersion, valueTier, actionCode, channel, offer,
          priority, offerCost == null ? null : offerCost.stripTrailingZeros().toPlainString(), serviceLevel,
          proposedAction, guardrails, reasons, matchedRows, firedRules}) {
        if (f == null) {
          sb.append("-;");
        } else {
          String s = f.toString();
          sb.append(s.length()).append(':').append(s).append(';');
        }
      }
      byte[] h = sha256().digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int k = 0; k < 8; k++) {
        v = (v << 8) | (h[k] & 0xff);
      }
      return v & Long.MAX_VALUE;
    }
  }

  /**
   * What makes an outcome, without the texts derived from it (the rows' reasons follow from the matched rows of the
   * rule-set version; the fired-rules JSON from the interventions): a lookup hashes a few short fields, and the texts
   * and the digest are built once per distinct outcome.
   */
  private record Key(
      String ruleSet,
      String ruleSetRole,
      String modelId,
      String modelVersion,
      String valueTier,
      String actionCode,
      String channel,
      String offer,
      Integer priority,
      BigDecimal offerCost,
      String serviceLevel,
      String proposedAction,
      String matchedRows,
      List<Intervention> interventions) {

    static Key of(Decision d) {
      return new Key(d.ruleSetVersion(), d.ruleSetRole(), d.modelId(), d.modelVersion(), d.valueTier(),
          d.actionCode(), d.channel(), d.offer(), d.priority(), d.offerCost(), d.serviceLevel(), d.proposedAction(),
          d.matchedRows(), d.interventions());
    }
  }

  private final Map<Key, Long> ids = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> stored = new ConcurrentHashMap<>();
  private final MultiRowInsert insert;

  DecisionOutcomes(int rowsPerInsert) {
    this.insert = new MultiRowInsert("INSERT IGNORE", "decision_outcomes", COLUMNS, rowsPerInsert);
  }

  /**
   * The outcome id of each decision, in order; the outcomes not yet stored by this process are inserted on {@code c}
   * (in the caller's transaction, so that a decision row never references a missing outcome).
   */
  long[] ensure(Connection c, List<Decision> decisions) throws SQLException {
    long[] out = new long[decisions.size()];
    Map<Long, Outcome> fresh = new LinkedHashMap<>();
    for (int k = 0; k < out.length; k++) {
      Decision d = decisions.get(k);
      Key key = Key.of(d);
      Long id = ids.get(key);
      if (id == null) {
        if (ids.size() >= REMEMBERED) {
          ids.clear();
          stored.clear();
        }
        id = Outcome.of(d).id();
        ids.put(key, id);
      }
      out[k] = id;
      if (!stored.containsKey(id) && !fresh.containsKey(id)) {
        fresh.put(id, Outcome.of(d));
      }
    }
    if (!fresh.isEmpty()) {
      List<Map.Entry<Long, Outcome>> rows = new ArrayList<>(fresh.entrySet());
      insert.insert(c, rows, DecisionOutcomes::bind);
    }
    return out;
  }

  /** Marks outcomes written by a transaction that committed; until then another write inserts them again. */
  void committed(long[] outcomeIds) {
    for (long id : outcomeIds) {
      stored.put(id, Boolean.TRUE);
    }
  }

  private static void bind(PreparedStatement ps, int i, Map.Entry<Long, Outcome> e) throws SQLException {
    Outcome o = e.getValue();
    ps.setLong(i, e.getKey());
    ps.setString(i + 1, o.ruleSet());
    ps.setString(i + 2, o.ruleSetRole());
    ps.setString(i + 3, o.modelId());
    ps.setString(i + 4, o.modelVersion());
    ps.setString(i + 5, o.valueTier());
    ps.setString(i + 6, o.actionCode());
    ps.setString(i + 7, o.channel());
    ps.setString(i + 8, o.offer());
    if (o.priority() == null) {
      ps.setNull(i + 9, Types.INTEGER);
    } else {
      ps.setInt(i + 9, o.priority());
    }
    ps.setBigDecimal(i + 10, o.offerCost());
    ps.setString(i + 11, o.serviceLevel());
    ps.setString(i + 12, o.proposedAction());
    ps.setString(i + 13, o.guardrails());
    ps.setString(i + 14, o.reasons());
    ps.setString(i + 15, o.matchedRows());
    ps.setString(i + 16, o.firedRules());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
