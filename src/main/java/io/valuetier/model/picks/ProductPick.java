package io.valuetier.model.picks;

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
public record ProductPick(String productId, String description, double score, String reason, Boolean inStock) {

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
