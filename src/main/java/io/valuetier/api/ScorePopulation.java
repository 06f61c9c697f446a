package io.valuetier.api;

import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The predicted spend of the scored population, sorted, so that a customer scored online gets the value percentile
 * the batch would give: the share of scored customers predicted to spend less. Refreshed from {@code scores} when
 * older than its time to live.
 */
final class ScorePopulation {
  private final Store store;
  private final long ttlNanos;
  private volatile double[] sorted;
  private volatile long loadedAt;

  ScorePopulation(Store store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
  }

  /**
   * Percentile 0..100 of {@code spend} among the scored customers: the share predicted to spend less, ties counted
   * half, as the batch ranks them (50 when nobody is scored yet).
   */
  double percentile(double spend) {
    double[] s = current();
    if (s.length == 0) {
      return 50;
    }
    int below = lowerBound(s, spend);
    int notAbove = lowerBound(s, Math.nextUp(spend));
    return 100.0 * (below + (notAbove - below) / 2.0) / s.length;
  }

  /** The number of values strictly below {@code x}. */
  private static int lowerBound(double[] s, double x) {
    int lo = 0;
    int hi = s.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private double[] current() {
    double[] s = sorted;
    if (s == null || System.nanoTime() - loadedAt > ttlNanos) {
      synchronized (this) {
        if (sorted == null || System.nanoTime() - loadedAt > ttlNanos) {
          sorted = load();
          loadedAt = System.nanoTime();
        }
        s = sorted;
      }
    }
    return s;
  }

  private double[] load() {
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT predicted_spend FROM scores");
        ResultSet rs = ps.executeQuery()) {
      double[] v = new double[1024];
      int n = 0;
      while (rs.next()) {
        if (n == v.length) {
          v = Arrays.copyOf(v, n * 2);
        }
        v[n++] = rs.getDouble(1);
      }
      double[] out = Arrays.copyOf(v, n);
      Arrays.sort(out);
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read the scored population: " + e.getMessage(), e);
    }
  }
}
