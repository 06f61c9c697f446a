package io.valuetier.records;

import java.math.BigDecimal;

/**
 * One product of the catalogue file: its code (the transactions' stock code), description, unit price and whether it
 * is in stock. Fields the file does not have are null.
 */
public record CatalogueProduct(String productId, String description, BigDecimal unitPrice, Boolean inStock) {}
