package io.valuetier.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The customers erased on request, known only by the salted SHA-256 of their id (table {@code erased_customers}; the
 * salt is random per store, in {@code erasure_salt}), so that ingest can refuse their rows without the store keeping
 * who they were. The hashes are held in memory and re-read at most every {@link #REFRESH_MILLIS} ms (an erasure made
 * by another process, such as {@code valuetier customers forget} beside a running server, takes effect within that
 * time) and at once after an erasure through this store. With no erased customer, a check costs a set lookup only.
 */
public final class ErasedCustomers {
  /** How long the in-memory set is trusted before it is read again. */
  public static final long REFRESH_MILLIS = 5_000;

  private final Store store;
  private volatile Set<String> hashes;
  private volatile long loadedAt;
  private volatile String salt;

  ErasedCustomers(Store store) {
    this.store = store;
  }

  /** Whether the customer was erased. */
  public boolean isErased(String customerId) {
    if (customerId == null) {
      return false;
    }
    Set<String> h = current();
    return !h.isEmpty() && h.contains(hash(customerId));
  }

  /** Whether no customer was erased (then nothing needs checking). */
  public boolean none() {
    return current().isEmpty();
  }

  /** Reads the erased customers again now (at the start of an ingest run). */
  public void refresh() {
    load();
  }

  /** Records the customers as erased on the caller's connection and transaction; returns those not erased before. */
  public int mark(Connection c, Collection<String> customerIds) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    int added = 0;
    try (PreparedStatement ps = c.prepareStatement(Store.insertIgnore("erased_customers", "id_hash,erased_at"))) {
      for (String id : customerIds) {
        ps.setString(1, hash(id));
        ps.setTimestamp(2, now);
        added += ps.executeUpdate();
      }
    }
    loadedAt = 0; // read again on the next check, after the caller committed
    return added;
  }

  /** The salted SHA-256 of a customer id, as stored. */
  public String hash(String customerId) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      return HexFormat.of().formatHex(md.digest(customerId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private Set<String> current() {
    Set<String> h = hashes;
    if (h == null || System.currentTimeMillis() - loadedAt > REFRESH_MILLIS) {
      h = load();
    }
    return h;
  }

  private synchronized Set<String> load() {
    Set<String> h = new HashSet<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT id_hash FROM erased_customers");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        h.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the erased customers: " + e.getMessage(), e);
    }
    hashes = Set.copyOf(h);
    loadedAt = System.currentTimeMillis();
    return hashes;
  }

  /** The store's salt, made on first use (a second process racing to make it keeps the first one stored). */
  private String salt() {
    String s = salt;
    if (s != null) {
      return s;
    }
    synchronized (this) {
      if (salt == null) {
        String stored = store.queryString("SELECT salt FROM erasure_salt WHERE salt_id = 1");
        if (stored == null) {
          byte[] random = new byte[32];
          new SecureRandom().nextBytes(random);
          store.execute(Store.insertIgnore("erasure_salt", "salt_id,salt"), 1, HexFormat.of().formatHex(random));
          stored = store.queryString("SELECT salt FROM erasure_salt WHERE salt_id = 1");
        }
        salt = stored;
      }
      return salt;
    }
  }
}
