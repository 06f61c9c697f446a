package io.valuetier.model.picks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.valuetier.util.Json;
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

  /** Picks from {@link #toJson}; empty for null or empty text. */
  public static List<ProductPick> fromJson(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return Json.MAPPER.readValue(json, new TypeReference<List<ProductPick>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a list of product picks: " + e.getOriginalMessage(), e);
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
