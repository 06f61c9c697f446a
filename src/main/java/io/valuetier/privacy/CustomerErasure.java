package io.valuetier.privacy;

import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Erases customers on request and applies the retention of raw transactions. {@link #forget} marks the customers
 * erased (salted hash only, see {@link io.valuetier.store.ErasedCustomers}) and deletes, in one transaction, every row
 * that holds their data: order lines, facts, scores and score history, decisions with their trace, contact log,
 * outcomes, published marketing actions and their delivery records, rejected lines that quote them; run summaries and
 * notes that name them get the id replaced by {@value #ERASED}. Files already published (the action files, dead
 * letters) are not rewritten: they are listed for the operator, who removes them or has them removed downstream.
 */
public final class CustomerErasure {
  /** What replaces an erased id inside a kept text (a run summary, a note). */
  public static final String ERASED = "[erased]";

  private static final int GROUP = 500;

  /** Tables with a {@code customer_id} column whose rows are the customer's, deleted whole. */
  private static final List<String> CUSTOMER_TABLES =
      List.of("contact_log", "outcomes", "decision_rows", "marketing_actions", "scores", "score_history", "customers",
          "transactions", "customer_picks", "batch_costly");

  /** Kept texts that may quote a customer id: table, key column, text column. */
  private static final List<String[]> SCRUBBED =
      List.of(
          new String[] {"decision_runs", "run_id", "summary"},
          new String[] {"ingest_runs", "run_id", "message"},
          new String[] {"rule_set_activations", "activation_id", "note"},
          // a deploy's message is the analyst's free text
          new String[] {"rule_set_activations", "activation_id", "message"},
          // an outcome holds no customer unless a guardrail's reason quotes one (a rule an analyst wrote so)
          new String[] {"decision_outcomes", "outcome_id", "reasons"},
          new String[] {"decision_outcomes", "outcome_id", "fired_rules"});

  private final Store store;
  private final List<Path> folders;

  /** What one erasure did. */
  public record Erasure(
      List<String> customers,
      int newlyMarked,
      Map<String, Long> rowsDeleted,
      long textsScrubbed,
      List<Path> filesStillHoldingThem) {
    /** Rows deleted over all tables. */
    public long totalRows() {
      return rowsDeleted.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** What one retention pass did. */
  public record Purge(int days, LocalDateTime olderThan, long transactionsDeleted) {}

  /**
   * @param store the store to erase from
   * @param folders folders whose files are searched for the customers' ids (published actions, dead letters)
   */
  public CustomerErasure(Store store, List<Path> folders) {
    this.store = store;
    this.folders = List.copyOf(folders);
  }

  /** The erasure of an installation: its store, its publish folder and, when it is a folder, its dead-letter folder. */
  public static CustomerErasure of(Settings settings, Store store) {
    List<Path> folders = new ArrayList<>();
    folders.add(settings.path("valuetier.publish.folder"));
    String dead = settings.get("valuetier.deadletter.uri", "");
    if (dead.startsWith("file:")) {
      folders.add(settings.home().resolve(dead.substring("file:".length()).split("\\?", 2)[0]));
    }
    return new CustomerErasure(store, folders);
  }

  /**
   * Erases the customers with these ids (blank ids are ignored; an id never seen is still marked, so that its rows
   * are refused when they arrive). Idempotent: forgetting a customer twice deletes nothing more.
   *
   * @return the rows deleted per table, the texts scrubbed, and the files that still hold the ids
   */
  public Erasure forget(Collection<String> customerIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(customerIds.stream()
        .filter(id -> id != null && !id.isBlank()).map(String::strip).toList()));
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no customer id to forget");
    }
    Map<String, Long> deleted = new LinkedHashMap<>();
    record Counts(int marked, long scrubbed) {}
    Counts counts;
    try {
      counts = store.inTransaction(c -> {
        int marked = store.erasedCustomers().mark(c, ids);
        deleted.put("action_deliveries", deleteDeliveries(c, ids));
        for (String table : CUSTOMER_TABLES) {
          deleted.put(table, deleteByCustomer(c, table, ids));
        }
        deleted.put("rejected_records", deleteRejected(c, ids));
        long scrubbed = 0;
        for (String[] t : SCRUBBED) {
          scrubbed += scrub(c, t[0], t[1], t[2], ids);
        }
        return new Counts(marked, scrubbed);
      });
    } catch (SQLException e) {
      throw new StoreException("cannot erase " + ids.size() + " customer(s): " + e.getMessage(), e);
    }
    store.erasedCustomers().refresh();
    return new Erasure(List.copyOf(ids), counts.marked(), deleted, counts.scrubbed(), filesMentioning(ids));
  }

  /** The delivery records of the customers' decisions (they hold decision ids only, but of erased decisions). */
  private static long deleteDeliveries(Connection c, List<String> ids) throws SQLException {
    List<String> decisions = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += GROUP) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + GROUP));
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT decision_id FROM decisions WHERE customer_id IN (" + marks(part.size()) + ")")) {
        bind(ps, 1, part);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            decisions.add(Long.toString(rs.getLong(1)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT decision_id FROM marketing_actions WHERE customer_id IN (" + marks(part.size()) + ")")) {
        bind(ps, 1, part);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            decisions.add(rs.getString(1));
          }
        }
      }
    }
    long n = 0;
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(decisions));
    for (int from = 0; from < distinct.size(); from += GROUP) {
      List<String> part = distinct.subList(from, Math.min(distinct.size(), from + GROUP));
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM action_deliveries WHERE decision_id IN (" + marks(part.size()) + ")")) {
        bind(ps, 1, part);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  /**
   * Deletes the rows of {@code table} with these customer ids: by index except in {@code transactions}, which has no
   * index on the customer (it would slow every ingest) and is scanned once per 500 ids.
   */
  private static long deleteByCustomer(Connection c, String table, List<String> ids) throws SQLException {
    long n = 0;
    for (int from = 0; from < ids.size(); from += GROUP) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + GROUP));
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM " + table + " WHERE customer_id IN (" + marks(part.size()) + ")")) {
        bind(ps, 1, part);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  /** Rejected lines whose value, message or original text holds one of the ids as a whole word (not within another id). */
  private static long deleteRejected(Connection c, List<String> ids) throws SQLException {
    Set<Long> origins = new LinkedHashSet<>();
    for (String id : ids) {
      Pattern word = word(id);
      String like = "%" + escapeLike(id) + "%";
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT origin, bad_value, message, original_text FROM rejected_records WHERE bad_value = ?"
              + " OR message LIKE ? ESCAPE '!' OR original_text LIKE ? ESCAPE '!'")) {
        ps.setString(1, id);
        ps.setString(2, like);
        ps.setString(3, like);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String text = rs.getString(2) + "\n" + rs.getString(3) + "\n" + rs.getString(4);
            if (word.matcher(text).find()) {
              origins.add(rs.getLong(1));
            }
          }
        }
      }
    }
    List<Long> list = new ArrayList<>(origins);
    long n = 0;
    for (int from = 0; from < list.size(); from += GROUP) {
      List<Long> part = list.subList(from, Math.min(list.size(), from + GROUP));
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM rejected_records WHERE origin IN (" + marks(part.size()) + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setLong(i + 1, part.get(i));
        }
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  /** Replaces the ids (as whole words) in a kept text column by {@value #ERASED}; returns the rows changed. */
  private static long scrub(Connection c, String table, String key, String column, List<String> ids)
      throws SQLException {
    long n = 0;
    for (String id : ids) {
      Pattern word = word(id);
      Map<Object, String> changed = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + key + ", " + column + " FROM " + table + " WHERE " + column + " LIKE ? ESCAPE '!'")) {
        ps.setString(1, "%" + escapeLike(id) + "%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String text = rs.getString(2);
            String replaced = word.matcher(text).replaceAll(Matcher.quoteReplacement(ERASED));
            if (!replaced.equals(text)) {
              changed.put(rs.getObject(1), replaced);
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE " + table + " SET " + column + " = ? WHERE " + key + " = ?")) {
        for (Map.Entry<Object, String> e : changed.entrySet()) {
          ps.setString(1, e.getValue());
          ps.setObject(2, e.getKey());
          n += ps.executeUpdate();
        }
      }
    }
    return n;
  }

  /**
   * The files under the configured folders that hold one of the ids as a whole word, sorted. Read as bytes (any
   * encoding, compressed files are not opened).
   */
  public List<Path> filesMentioning(Collection<String> customerIds) {
    List<Pattern> words = customerIds.stream().map(CustomerErasure::latin1Word).toList();
    List<Path> found = new ArrayList<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          if (mentions(f, words)) {
            found.add(f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot search " + folder + " for the erased customers: " + e.getMessage(), e);
      }
    }
    return found;
  }

  private static boolean mentions(Path file, List<Pattern> words) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = r.readLine()) != null) {
        for (Pattern w : words) {
          if (w.matcher(line).find()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Deletes the order lines older than {@code days} days (0: keep forever, nothing is deleted). The key of a line
   * starts with the minute of its order, so the deletion is a range of its unique index, in slices of 50,000 rows.
   */
  public Purge purgeTransactionsOlderThan(int days) {
    if (days < 0) {
      throw new IllegalArgumentException("the retention must be 0 (keep forever) or a number of days, not " + days);
    }
    if (days == 0) {
      return new Purge(0, null, 0);
    }
    LocalDateTime cutoff = LocalDate.now(ZoneOffset.UTC).minusDays(days).atStartOfDay();
    long bound = (cutoff.toEpochSecond(ZoneOffset.UTC) / 60) << 37;
    long total = 0;
    int n;
    do {
      n = store.execute("DELETE FROM transactions WHERE row_key < ? AND order_ts < ? LIMIT 50000", bound,
          Timestamp.valueOf(cutoff));
      total += n;
    } while (n > 0);
    return new Purge(days, cutoff, total);
  }

  /** The retention of raw transactions in days ({@code valuetier.retention.transactions-days}; empty or 0: forever). */
  public static int retentionDays(Settings s) {
    return s.get("valuetier.retention.transactions-days", null) == null
        ? 0
        : s.intValue("valuetier.retention.transactions-days", 0, 36_500);
  }

  private static Pattern word(String id) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(id) + "(?![\\p{L}\\p{N}])");
  }

  private static Pattern latin1Word(String id) {
    return word(new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  private static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static String marks(int n) {
    return "?,".repeat(n - 1) + "?";
  }

  private static void bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }
}
