package io.valuetier.model.picks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.valuetier.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One product recommended to a customer.
 *
 * @param productId the stock code
 * @param description the product's name as marketing shows it
 * @param score how strongly the product is recommended (the sum of its similarities to what the customer bought; for a
 *     popular product, the share of recent buyers who bought it); higher first
 * @param reason why, in words: "bought together with X by 412 customers" or "popular: bought by 95 customers in the
 *     last 90 days"
 * @param inStock the catalogue's in-stock flag, or null when no catalogue says
 */
public record ProductPick(
    @JsonProperty("product_id") String productId,
    String description,
    double score,
    String reason,
    @JsonProperty("in_stock") Boolean inStock) {

  /** Picks as the JSON text stored in the decision trace and published with an action; null for none. */
  public static String toJson(List<ProductPick> picks) {
    return picks == null || picks.isEmpty() ? null : Json.write(picks);
  }

  /**
   * Picks from {@link #toJson}; empty for null or empty text. Read with Jackson's streaming parser, field by field: a
   * decision reads its customer's picks from the store as this text, and data binding into the record took as long as
   * the database read itself (profile of {@code bench/api-load.sh}). Unknown fields are skipped.
   */
  public static List<ProductPick> fromJson(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("not a list of product picks: it does not start with [");
      }
      List<ProductPick> out = new ArrayList<>(8);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String productId = null;
        String description = null;
        double score = 0;
        String reason = null;
        Boolean inStock = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          switch (field) {
            case "product_id" -> productId = v == JsonToken.VALUE_NULL ? null : p.getText();
            case "description" -> description = v == JsonToken.VALUE_NULL ? null : p.getText();
            case "score" -> score = v == JsonToken.VALUE_NULL ? 0 : p.getDoubleValue();
            case "reason" -> reason = v == JsonToken.VALUE_NULL ? null : p.getText();
            case "in_stock" -> inStock = v == JsonToken.VALUE_NULL ? null : p.getBooleanValue();
            default -> p.skipChildren();
          }
        }
        out.add(new ProductPick(productId, description, score, reason, inStock));
      }
      if (p.currentToken() != JsonToken.END_ARRAY) {
        throw new IllegalArgumentException("not a list of product picks: " + p.currentToken() + " where a pick or ]"
            + " was expected");
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a list of product picks: " + e.getMessage(), e);
    }
  }

  /** The picks as one line of text for a spreadsheet cell: {@code CODE description; CODE description}. */
  public static String codes(List<ProductPick> picks) {
    StringBuilder sb = new StringBuilder();
    for (ProductPick p : picks) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(p.productId());
    }
    return sb.toString();
  }

  /** A copy with the catalogue's in-stock flag (and description, when the catalogue has one). */
  public ProductPick withCatalogue(String catalogueDescription, Boolean stock) {
    return new ProductPick(productId, catalogueDescription == null ? description : catalogueDescription, score, reason,
        stock);
  }

  /** Whether the catalogue says the product is out of stock. */
  public boolean outOfStock() {
    return Boolean.FALSE.equals(inStock);
  }
}
