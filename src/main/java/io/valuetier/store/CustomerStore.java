package io.valuetier.store;

import io.valuetier.records.CustomerFacts;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The customers ingest writes: those first seen in transactions, and the facts of the customer files. */
public final class CustomerStore {
  private final Store store;

  public CustomerStore(Store store) {
    this.store = store;
  }

  /** Adds customers first seen in transactions; existing customers (and their facts) are untouched. */
  public void addSeenCustomers(Map<String, SeenCustomer> seen) {
    if (seen.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                Store.insertIgnore("customers", "customer_id,country,first_seen,facts_source,updated_at"))) {
          int n = 0;
          // in key order: a million new customers then append to the primary key instead of landing all over it
          List<Map.Entry<String, SeenCustomer>> inKeyOrder = new ArrayList<>(seen.entrySet());
          inKeyOrder.sort(Map.Entry.comparingByKey());
          for (Map.Entry<String, SeenCustomer> e : inKeyOrder) {
            ps.setString(1, e.getKey());
            ps.setString(2, e.getValue().country());
            ps.setTimestamp(3, Timestamp.valueOf(e.getValue().firstSeen()));
            ps.setString(4, "transactions");
            ps.setTimestamp(5, now);
            ps.addBatch();
            if (++n % 10_000 == 0) {
              ps.executeBatch();
            }
          }
          ps.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store customers: " + e.getMessage(), e);
    }
  }

  /** Inserts or updates customer facts (the facts file is the latest word on them). */
  public void upsertCustomerFacts(Collection<CustomerFacts> facts) {
    if (facts.isEmpty()) {
      return;
    }
    MultiRowInsert upsert = MultiRowInsert.upsert(store.dialect(), "customers",
        "customer_id,segment,country,marketing_consent,loyalty_member,signup_date,open_complaints,fraud_flag,"
            + "facts_source,updated_at", "customer_id", 200);
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        upsert.insert(c, List.copyOf(facts), (ps, i, f) -> {
          ps.setString(i, f.customerId());
          ps.setString(i + 1, f.segment());
          ps.setString(i + 2, f.country());
          setBool(ps, i + 3, f.marketingConsent());
          setBool(ps, i + 4, f.loyaltyMember());
          if (f.signupDate() == null) {
            ps.setNull(i + 5, Types.DATE);
          } else {
            ps.setDate(i + 5, Date.valueOf(f.signupDate()));
          }
          if (f.openComplaints() == null) {
            ps.setNull(i + 6, Types.INTEGER);
          } else {
            ps.setInt(i + 6, f.openComplaints());
          }
          setBool(ps, i + 7, f.fraudFlag());
          ps.setString(i + 8, "facts");
          ps.setTimestamp(i + 9, now);
        });
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store customer facts: " + e.getMessage(), e);
    }
  }

  private static void setBool(PreparedStatement ps, int i, Boolean b) throws SQLException {
    if (b == null) {
      ps.setNull(i, Types.BOOLEAN);
    } else {
      ps.setBoolean(i, b);
    }
  }

  /** A customer as first seen in transactions. */
  public record SeenCustomer(String country, LocalDateTime firstSeen) {}
}
