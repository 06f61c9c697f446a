package io.valuetier.model.picks;

import io.valuetier.store.Store;
import io.valuetier.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The product catalogue as the recommender reads it: description and in-stock flag by product code. */
final class Catalogue {
  private Catalogue() {}

  /** One catalogue product; {@code inStock} is null when the catalogue file had no such column. */
  record Entry(String description, Boolean inStock) {}

  /** The whole catalogue (products, not customers: small). */
  static Map<String, Entry> read(Store store) {
    Map<String, Entry> out = new HashMap<>();
    try (Connection c = store.connection();
        PreparedStatement ps = c.prepareStatement("SELECT product_id, description, in_stock FROM products");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        boolean stock = rs.getBoolean(3);
        out.put(rs.getString(1), new Entry(rs.getString(2), rs.wasNull() ? null : stock));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the product catalogue: " + e.getMessage(), e);
    }
    return out;
  }
}
