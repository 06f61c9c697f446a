package io.valuetier.decide.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored versions of the rule set (every file's content, by content hash) and the history of activations: which
 * version was active when, and why.
 */
public final class RuleSetHistory {
  private final Store store;

  /**
   * The reason of a record that made a version the challenger (the workbench's "Deploy as challenger"), not the active
   * champion: {@link #active()} passes over it.
   */
  public static final String CHALLENGER = "CHALLENGER";

  /**
   * One activation: the version, when, why (INITIAL, RELOAD, ROLLBACK, DEPLOY, or {@value #CHALLENGER} for a version
   * deployed as the challenger), the gate's note, and for a change made from the workbench who made it (the key's roles
   * and id, never the key) and their message (else null).
   */
  public record Activation(
      long id, String version, Instant activatedAt, String reason, String note, String author, String message) {

    /** Whether this record made {@link #version} the challenger rather than the active (champion) version. */
    public boolean challenger() {
      return CHALLENGER.equals(reason);
    }
  }

  public RuleSetHistory(Store store) {
    this.store = store;
  }

  /** Stores the files of a version (once per content hash). */
  public void save(RuleFiles files, String summary) {
    try (Connection c = store.connection()) {
      try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM rule_set_versions WHERE version_id = ?")) {
        check.setString(1, files.id());
        try (ResultSet rs = check.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO rule_set_versions (version_id, created_at, files, summary) VALUES (?,?,?,?)")) {
        ps.setString(1, files.id());
        ps.setTimestamp(2, Timestamp.from(Instant.now()));
        ps.setString(3, Json.write(files.all()));
        ps.setString(4, summary);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store rule-set version " + files.id() + ": " + e.getMessage(), e);
    }
  }

  /** Records that {@code version} became active. */
  public Activation activate(String version, String reason, String note) {
    return activate(version, reason, note, null, null);
  }

  /** Records that {@code version} became active, by whom ({@code author}) and why in their words ({@code message}). */
  public Activation activate(String version, String reason, String note, String author, String message) {
    Instant now = Instant.now();
    store.execute(
        "INSERT INTO rule_set_activations (version_id, activated_at, reason, note, author, message) VALUES (?,?,?,?,?,?)",
        version, Timestamp.from(now), reason, note, author, message);
    return new Activation(0, version, now, reason, note, author, message);
  }

  /** The latest activation of the champion (the active version), if any: a challenger's record is never taken. */
  public Optional<Activation> active() {
    List<Activation> all = query("SELECT activation_id, version_id, activated_at, reason, note, author, message"
        + " FROM rule_set_activations WHERE reason <> '" + CHALLENGER + "'"
        + " ORDER BY activation_id DESC LIMIT 1");
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every activation, the challenger's records included (see {@link Activation#challenger()}), newest first. */
  public List<Activation> activations() {
    return query("SELECT activation_id, version_id, activated_at, reason, note, author, message"
        + " FROM rule_set_activations"
        + " ORDER BY activation_id DESC");
  }

  private List<Activation> query(String sql) {
    List<Activation> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Activation(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the rule-set history: " + e.getMessage(), e);
    }
    return out;
  }

  /** The files of a stored version; {@code version} may be a unique prefix of the id. */
  public Optional<RuleFiles> load(String version) {
    List<String> ids = new ArrayList<>();
    String files = null;
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT version_id, files FROM rule_set_versions WHERE version_id LIKE ?")) {
      ps.setString(1, version.replace("%", "").replace("_", "") + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          files = rs.getString(2);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read rule-set version " + version + ": " + e.getMessage(), e);
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    if (ids.size() > 1) {
      throw new IllegalArgumentException("version '" + version + "' is ambiguous: " + ids + "; give more digits");
    }
    try {
      Map<String, String> map = Json.MAPPER.readValue(files, new TypeReference<Map<String, String>>() {});
      return Optional.of(RuleFiles.of(map));
    } catch (JsonProcessingException e) {
      throw new StoreException("stored rule-set version " + ids.get(0) + " is unreadable: " + e.getMessage(), e);
    }
  }
}
