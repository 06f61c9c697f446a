package io.valuetier.store;

import io.valuetier.records.CatalogueProduct;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The product catalogue ({@code products}) the catalogue route writes: one row per product code, replaced on update. */
public final class ProductStore {
  private final Store store;

  public ProductStore(Store store) {
    this.store = store;
  }

  /** Inserts or replaces the products. */
  public void upsert(Collection<CatalogueProduct> products) {
    if (products.isEmpty()) {
      return;
    }
    MultiRowInsert upsert = MultiRowInsert.upsert(store.dialect(), "products",
        "product_id,description,unit_price,in_stock,updated_at", "product_id", 200);
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        upsert.insert(c, List.copyOf(products), (ps, i, p) -> {
          ps.setString(i, p.productId());
          ps.setString(i + 1, p.description());
          ps.setBigDecimal(i + 2, p.unitPrice());
          if (p.inStock() == null) {
            ps.setNull(i + 3, Types.BOOLEAN);
          } else {
            ps.setBoolean(i + 3, p.inStock());
          }
          ps.setTimestamp(i + 4, now);
        });
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store " + products.size() + " catalogue products: " + e.getMessage(), e);
    }
  }
}
