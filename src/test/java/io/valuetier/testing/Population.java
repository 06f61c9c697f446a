package io.valuetier.testing;

import io.valuetier.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Random;

/**
 * A scored population written straight into {@code scores} and {@code customers} (test data, as the predict stage
 * would write it): percentiles spread over 0..100, a tenth cold starts, a fifth without consent, a few complaints.
 */
public final class Population {
  private Population() {}

  public static void write(Store store, int customers, long seed) throws SQLException {
    Random r = new Random(seed);
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
              c.prepareStatement("INSERT INTO scores (customer_id, model_id, model_version, scored_at, cutoff_date,"
                  + " horizon_days, predicted_spend, probability_active, value_percentile, cold_start, tenure_days,"
                  + " returns_ratio, reason_1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
          PreparedStatement f =
              c.prepareStatement("INSERT INTO customers (customer_id, segment, country, marketing_consent,"
                  + " loyalty_member, open_complaints, fraud_flag, updated_at) VALUES (?,?,?,?,?,?,?,?)")) {
        for (int i = 0; i < customers; i++) {
          String id = "c" + i;
          double pct = 100.0 * i / customers;
          s.setString(1, id);
          s.setString(2, "gbt-v1");
          s.setString(3, "1");
          s.setTimestamp(4, now);
          s.setDate(5, java.sql.Date.valueOf("2026-11-01"));
          s.setInt(6, 184);
          s.setBigDecimal(7, java.math.BigDecimal.valueOf(Math.round(5000 * Math.pow(pct / 100, 3) * 100) / 100.0));
          s.setDouble(8, r.nextDouble());
          s.setDouble(9, pct);
          s.setBoolean(10, r.nextDouble() < 0.1);
          s.setInt(11, r.nextDouble() < 0.15 ? r.nextInt(90) : 90 + r.nextInt(700));
          s.setDouble(12, r.nextDouble() * 0.2);
          s.setString(13, "test data");
          s.addBatch();
          f.setString(1, id);
          f.setString(2, r.nextDouble() < 0.05 ? "Wholesale" : "Retail");
          f.setString(3, r.nextDouble() < 0.8 ? "United Kingdom" : "France");
          f.setBoolean(4, r.nextDouble() < 0.8);
          f.setBoolean(5, r.nextDouble() < 0.3);
          f.setInt(6, r.nextDouble() < 0.04 ? 1 : 0);
          f.setBoolean(7, r.nextDouble() < 0.005);
          f.setTimestamp(8, now);
          f.addBatch();
        }
        s.executeBatch();
        f.executeBatch();
      }
      c.commit();
    }
  }
}
