package io.valuetier.bench;

import io.valuetier.store.MultiRowInsert;
import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a synthetic scored population into {@code customers} and {@code scores} for benchmarks: predictions spread
 * over every tier, a share of customers without facts, some without consent, with complaints or fraud flags. Fixed
 * seed, so two runs write the same rows.
 */
public final class SyntheticPopulation {
  private static final String CUSTOMER_COLUMNS =
      "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag,first_seen,"
          + "facts_source,updated_at";
  private static final String SCORE_COLUMNS =
      "customer_id,model_id,model_version,scored_at,cutoff_date,horizon_days,predicted_spend,probability_active,"
          + "value_percentile,cold_start,tenure_days,returns_ratio,reason_1,reason_2,reason_3";
  private static final String[] COUNTRIES = {"United Kingdom", "Germany", "France", "Spain", "Netherlands"};

  private SyntheticPopulation() {}

  /** Writes {@code n} scored customers with ids {@code C0000001...}; returns the number written. */
  public static long write(Store store, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    MultiRowInsert customers = new MultiRowInsert("INSERT", "customers", CUSTOMER_COLUMNS, 200);
    MultiRowInsert scores = new MultiRowInsert("INSERT", "scores", SCORE_COLUMNS, 200);
    Timestamp now = Timestamp.from(Instant.now());
    Date cutoff = Date.valueOf(LocalDate.now());
    int chunk = 10_000;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      for (int from = 0; from < n; from += chunk) {
        List<Object[]> cs = new ArrayList<>(chunk);
        List<Object[]> ss = new ArrayList<>(chunk);
        for (int i = from; i < Math.min(n, from + chunk); i++) {
          String id = String.format("C%07d", i + 1);
          double pct = rnd.nextDouble() * 100;
          double spend = Math.exp(2 + pct / 20 + rnd.nextGaussian() * 0.2);
          boolean cold = rnd.nextInt(100) < 8;
          int tenure = cold ? rnd.nextInt(60) : rnd.nextInt(3000);
          if (rnd.nextInt(100) >= 5) { // 5% of scored customers have no facts in the CRM
            Boolean consent = rnd.nextInt(100) < 10 ? null : rnd.nextInt(100) < 75;
            Boolean loyalty = rnd.nextInt(100) < 20 ? null : rnd.nextInt(100) < 30;
            Integer complaints = rnd.nextInt(100) < 4 ? 1 + rnd.nextInt(2) : 0;
            cs.add(new Object[] {id, rnd.nextInt(100) < 2 ? "Wholesale" : "Retail", COUNTRIES[rnd.nextInt(5)], consent,
                loyalty, complaints, rnd.nextInt(1000) < 5});
          }
          ss.add(new Object[] {id, BigDecimal.valueOf(spend).setScale(2, RoundingMode.HALF_UP), rnd.nextDouble(),
              Math.round(pct * 100) / 100.0, cold, tenure, Math.round(rnd.nextDouble() * rnd.nextDouble() * 1000) / 1000.0});
        }
        customers.insert(c, cs, (ps, i, r) -> {
          ps.setString(i, (String) r[0]);
          ps.setString(i + 1, (String) r[1]);
          ps.setString(i + 2, (String) r[2]);
          setBool(ps, i + 3, (Boolean) r[3]);
          setBool(ps, i + 4, (Boolean) r[4]);
          ps.setNull(i + 5, Types.DATE);
          ps.setInt(i + 6, (Integer) r[5]);
          ps.setBoolean(i + 7, (Boolean) r[6]);
          ps.setNull(i + 8, Types.TIMESTAMP);
          ps.setString(i + 9, "synthetic");
          ps.setTimestamp(i + 10, now);
        });
        scores.insert(c, ss, (ps, i, r) -> {
          ps.setString(i, (String) r[0]);
          ps.setString(i + 1, "synthetic-gbm");
          ps.setString(i + 2, "bench-1");
          ps.setTimestamp(i + 3, now);
          ps.setDate(i + 4, cutoff);
          ps.setInt(i + 5, 365);
          ps.setBigDecimal(i + 6, (BigDecimal) r[1]);
          ps.setDouble(i + 7, (Double) r[2]);
          ps.setDouble(i + 8, (Double) r[3]);
          ps.setBoolean(i + 9, (Boolean) r[4]);
          ps.setInt(i + 10, (Integer) r[5]);
          ps.setDouble(i + 11, (Double) r[6]);
          List<String> reasons = reasons((String) r[0], (Boolean) r[4], (Integer) r[5]);
          ps.setString(i + 12, reasons.get(0));
          ps.setString(i + 13, reasons.get(1));
          ps.setString(i + 14, reasons.get(2));
        });
        c.commit();
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      throw new StoreException("cannot write the synthetic population: " + e.getMessage(), e);
    }
    return n;
  }

  /**
   * The model's reasons of a synthetic customer, in the model's words (three; a cold start has one): a decision and
   * its published action carry them as they are.
   */
  public static List<String> reasons(String customerId, boolean coldStart, int tenureDays) {
    String first = String.format(Locale.ROOT, "Customer for %,d days (%s)", tenureDays,
        coldStart ? "lowers the prediction" : "raises the prediction");
    if (coldStart) {
      return Arrays.asList(first, null, null);
    }
    return Arrays.asList(first, "Synthetic spend trend of " + customerId + " (raises the prediction)",
        "Synthetic basket of " + customerId + " (lowers the prediction)");
  }

  private static void setBool(PreparedStatement ps, int i, Boolean b) throws SQLException {
    if (b == null) {
      ps.setNull(i, Types.BOOLEAN);
    } else {
      ps.setBoolean(i, b);
    }
  }
}
