package io.valuetier.model.picks;

import io.valuetier.config.Settings;
import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.RunReplacement;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The picks stage of the main job: reads who bought which product from the store's {@code transactions}, trains the
 * {@link ProductRecommender} at the cutoff (the last day of data), and replaces the stored picks with every
 * customer's {@code N} picks (table {@code customer_picks}: one row per customer, the picks as JSON, best first),
 * plus the picks of a customer without any purchase under the empty customer id ({@link #ANYONE}). Descriptions and
 * the in-stock flag come from the catalogue ({@code products}) when it knows the product. Writes the recommender's
 * card, {@code picks/card.json} in the model registry folder.
 */
public final class PicksService {
  /** The customer id under which the picks of any customer without picks of their own are stored. */
  public static final String ANYONE = "";

  private static final RunReplacement PICKS =
      new RunReplacement("customer_picks", "customer_id,pick_count,picks,run_id", "customer_id", 200);

  private final Settings settings;
  private final Store store;
  private final PicksSettings picks;

  public PicksService(Settings settings, Store store) {
    this.settings = settings;
    this.store = store;
    this.picks = PicksSettings.from(settings);
  }

  /**
   * What the stage did.
   *
   * @param customers customers with picks of their own
   * @param products products known at the cutoff
   * @param pairs distinct (customer, product) pairs read
   * @param neighbourEntries similar-product entries kept (at most products x K)
   * @param rows picks written (each customer's, and those of {@link #ANYONE})
   */
  public record Result(
      LocalDate cutoff, int customers, int products, int pairs, int neighbourEntries, long rows, double readSeconds,
      double trainSeconds, double writeSeconds, PicksEvaluation evaluation) {

    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cutoff", cutoff == null ? null : cutoff.toString());
      m.put("customers", customers);
      m.put("products", products);
      m.put("pairs", pairs);
      m.put("neighbour_entries", neighbourEntries);
      m.put("rows", rows);
      m.put("read_seconds", readSeconds);
      m.put("train_seconds", trainSeconds);
      m.put("write_seconds", writeSeconds);
      if (evaluation != null) {
        m.put("holdout_evaluation", evaluation.asMap());
      }
      return m;
    }
  }

  public PicksSettings settings() {
    return picks;
  }

  /** Reads, trains and writes the picks of every customer. */
  public Result run() {
    return run(null, null);
  }

  /**
   * As {@link #run()}, and when both dates are given also evaluates the recommender trained up to
   * {@code calibrationEnd} on the purchases up to {@code holdoutEnd}, from the same reading of the store.
   */
  public Result run(LocalDate calibrationEnd, LocalDate holdoutEnd) {
    long t0 = System.nanoTime();
    PurchaseLines lines = readLines(store);
    return run(lines, calibrationEnd, holdoutEnd, since(t0));
  }

  /**
   * As {@link #run(LocalDate, LocalDate)} on order lines already read (by the main job's read of the transactions,
   * which hands them to {@code lines} in the same pass); {@code readSeconds} is the time that reading took here, if
   * any.
   */
  public Result run(PurchaseLines lines, LocalDate calibrationEnd, LocalDate holdoutEnd, double readSeconds) {
    long t0 = System.nanoTime();
    PurchaseLog log = lines.log();
    double read = readSeconds + since(t0);
    if (log.pairs() == 0) {
      clear();
      return new Result(null, 0, 0, 0, 0, 0, read, 0, 0, null);
    }
    long t1 = System.nanoTime();
    int cutoff = log.lastDay();
    ProductRecommender model = new RecommenderTrainer(picks).train(log, cutoff);
    double train = since(t1);
    long t2 = System.nanoTime();
    long rows = write(log, model);
    double write = since(t2);
    PicksEvaluation evaluation = null;
    if (calibrationEnd != null && holdoutEnd != null) {
      int cut = (int) calibrationEnd.toEpochDay();
      evaluation = PicksEvaluation.run(lines.log(0, cut), lines.log(cut + 1, (int) holdoutEnd.toEpochDay()), cut,
          picks, picks.maxProducts());
    }
    Result r = new Result(LocalDate.ofEpochDay(cutoff), log.customers(), model.products(), log.pairs(),
        model.neighbourEntries(), rows, read, train, write, evaluation);
    writeCard(r);
    return r;
  }

  /** The order lines of every customer in the store (streamed; one entry per customer, product, day and kind). */
  private static PurchaseLines readLines(Store store) {
    PurchaseLines lines = new PurchaseLines();
    String sql = "SELECT customer_id, product_id, description, order_ts, quantity FROM transactions";
    try {
      store.stream(sql, rs -> {
        LocalDateTime ts = rs.getObject(4, LocalDateTime.class);
        lines.add(rs.getString(1), rs.getString(2), rs.getString(3), (int) ts.toLocalDate().toEpochDay(),
            rs.getDouble(5) < 0);
      });
    } catch (SQLException e) {
      throw new StoreException("cannot read the purchases of " + store.describe() + ": " + e.getMessage(), e);
    }
    return lines;
  }

  private void clear() {
    store.execute("DELETE FROM customer_picks");
  }

  /** One row to write: a customer's picks, best first, and their JSON. */
  private record Row(String customerId, int count, String json) {}

  private long write(PurchaseLog log, ProductRecommender model) {
    Map<String, Catalogue.Entry> catalogue = Catalogue.read(store);
    int n = picks.maxProducts();
    long[] written = {0};
    String runId = UUID.randomUUID().toString();
    try {
      store.inTransaction(c -> {
        // over earlier picks, each row is replaced in place and the rows not written now are deleted after
        RunReplacement.Run run = PICKS.begin(c, store.dialect(), runId);
        MultiRowInsert.Binder<Row> bind = (ps, i, r) -> bind(ps, i, r, runId);
        Row anyone = row(ANYONE, model.recommend(log, -1, n), catalogue);
        if (anyone != null) {
          run.insert(List.of(anyone), bind);
          written[0] += anyone.count();
        }
        int slice = RunReplacement.rowsPerCommit(store.dialect());
        for (int from = 0; from < log.customers(); from += slice) {
          int to = Math.min(log.customers(), from + slice);
          List<Row> part = new ArrayList<>(to - from);
          IntStream.range(from, to).parallel().mapToObj(c2 -> row(log.customerId(c2), model.recommend(log, c2, n),
              catalogue)).forEachOrdered(r -> {
                if (r != null) {
                  part.add(r);
                }
              });
          run.insert(part, bind);
          for (Row r : part) {
            written[0] += r.count();
          }
        }
        run.finish();
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot write the product picks to " + store.describe() + ": " + e.getMessage(), e);
    }
    return written[0];
  }

  /** A customer's row, or null when there is nothing to offer them. */
  private static Row row(String customerId, List<ProductPick> picks, Map<String, Catalogue.Entry> catalogue) {
    if (picks.isEmpty()) {
      return null;
    }
    List<ProductPick> out = new ArrayList<>(picks.size());
    for (ProductPick p : picks) {
      Catalogue.Entry e = catalogue.get(p.productId());
      ProductPick q = e == null ? p : p.withCatalogue(e.description(), e.inStock());
      out.add(new ProductPick(q.productId(), cut(q.description(), 512), q.score(), cut(q.reason(), 700),
          q.inStock()));
    }
    return new Row(customerId, out.size(), ProductPick.toJson(out));
  }

  private static void bind(PreparedStatement ps, int i, Row r, String runId) throws SQLException {
    ps.setString(i, r.customerId());
    ps.setInt(i + 1, r.count());
    ps.setString(i + 2, r.json());
    ps.setString(i + 3, runId);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private void writeCard(Result r) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("model", "product-picks");
    card.put("algorithm", "item-to-item co-purchase (cosine of buyers), top-K neighbours, popularity fallback");
    card.put("settings", picks.asMap());
    card.put("training", r.asMap());
    card.put("java_version", System.getProperty("java.version"));
    card.put("trained_at", Instant.now().toString());
    Path dir = settings.path("valuetier.model.registry-dir").resolve("picks");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("card.json"), Json.write(card));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the recommender's card to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static double since(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e6) / 1000.0;
  }

  /**
   * The stored picks of customers, best first; a customer without picks of their own gets those of {@link #ANYONE}
   * (the popular products), a customer of a store without picks gets none. One query per {@link Store#inList()} - 1
   * customers (the popular products are read with each).
   */
  public static Map<String, List<ProductPick>> stored(Store store, List<String> customerIds) {
    Map<String, List<ProductPick>> out = new HashMap<>();
    int group = store.inList() - 1;
    for (int from = 0; from < customerIds.size(); from += group) {
      List<String> part = new ArrayList<>(customerIds.subList(from, Math.min(customerIds.size(), from + group)));
      part.add(ANYONE);
      Map<String, String> found = query(store, part);
      List<ProductPick> anyone = null;
      for (String id : part) {
        if (!id.equals(ANYONE)) {
          String own = found.get(id);
          if (own == null && anyone == null) {
            anyone = parse(ANYONE, found.get(ANYONE));
          }
          out.put(id, own != null ? parse(id, own) : anyone);
        }
      }
    }
    return out;
  }

  /**
   * One customer's stored picks, best first, at most {@code max}: their own, else those of {@link #ANYONE}; read on
   * the caller's connection, the popular products only for a customer without picks of their own.
   */
  public static List<ProductPick> stored(Connection c, String customerId, int max) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE customer_id IN (?, ?)")) {
      ps.setString(1, customerId);
      ps.setString(2, ANYONE);
      Map<String, String> found = read(ps);
      // only the list used is parsed: a customer's own, else the popular products
      String id = found.containsKey(customerId) ? customerId : ANYONE;
      List<ProductPick> picks = parse(id, found.get(id));
      return picks.size() <= max ? picks : picks.subList(0, max);
    }
  }

  private static final String SELECT = "SELECT customer_id, picks FROM customer_picks";

  private static Map<String, String> query(Store store, List<String> customerIds) {
    String sql = SELECT + " WHERE customer_id IN (" + "?,".repeat(customerIds.size() - 1) + "?)";
    try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < customerIds.size(); i++) {
        ps.setString(i + 1, customerIds.get(i));
      }
      return read(ps);
    } catch (SQLException e) {
      throw new StoreException("cannot read the product picks: " + e.getMessage(), e);
    }
  }

  /** A stored row's picks; a row that is not a list of picks is an error that names its table and customer. */
  private static List<ProductPick> parse(String customerId, String json) {
    try {
      return ProductPick.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new StoreException("customer_picks, customer_id '" + customerId + "'"
          + (customerId.isEmpty() ? " (the popular products)" : "") + ": " + e.getMessage()
          + " (written by the picks stage; run the main job again to rewrite the picks)", e);
    }
  }

  /** The stored picks' JSON by customer id, not yet parsed. */
  private static Map<String, String> read(PreparedStatement ps) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }
}
