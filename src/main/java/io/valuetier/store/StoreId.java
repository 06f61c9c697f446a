package io.valuetier.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * The identity of a store: a random UUID created once per database (table {@code store_identity}). Outputs written
 * outside the database are keyed by it: the action folder of a decision run ({@code out/actions/SHORT/run-N}) and the
 * champion of the model registry ({@code models/stores/SHORT/champion.json}), so that two databases never share them.
 * A copied database keeps the identity of its original; the file destination still refuses to mix their decisions.
 *
 * @param id the UUID
 */
public record StoreId(String id) {

  /** The first eight hex digits of the UUID: the name of the store's folders. */
  public String shortId() {
    return id.substring(0, 8);
  }

  /** The store's identity, created on first use (two processes opening a new database at once agree on one). */
  public static StoreId of(Store store) {
    String id = store.queryString("SELECT store_id FROM store_identity WHERE singleton = 1");
    if (id == null) {
      store.execute(Store.insertIgnore("store_identity", "singleton,store_id,created_at"), 1,
          UUID.randomUUID().toString(), Timestamp.from(Instant.now()));
      id = store.queryString("SELECT store_id FROM store_identity WHERE singleton = 1");
    }
    if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f-]{27}")) {
      throw new StoreException("the store's identity (table store_identity) is missing or not a UUID: " + id);
    }
    return new StoreId(id);
  }
}
