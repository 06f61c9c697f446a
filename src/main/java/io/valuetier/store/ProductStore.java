package io.valuetier.store;

import io.valuetier.records.CatalogueProduct;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;

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
    String cols = "product_id,description,unit_price,in_stock,updated_at";
    String sql =
        switch (store.dialect()) {
          case H2 -> "MERGE INTO products (" + cols + ") KEY(product_id) VALUES (?,?,?,?,?)";
          case MYSQL ->
              "INSERT INTO products (" + cols + ") VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE "
                  + "description=VALUES(description),unit_price=VALUES(unit_price),in_stock=VALUES(in_stock),"
                  + "updated_at=VALUES(updated_at)";
        };
    Timestamp now = Timestamp.from(Instant.now());
    try {
      store.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (CatalogueProduct p : products) {
            ps.setString(1, p.productId());
            ps.setString(2, p.description());
            ps.setBigDecimal(3, p.unitPrice());
            if (p.inStock() == null) {
              ps.setNull(4, Types.BOOLEAN);
            } else {
              ps.setBoolean(4, p.inStock());
            }
            ps.setTimestamp(5, now);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("cannot store " + products.size() + " catalogue products: " + e.getMessage(), e);
    }
  }
}
