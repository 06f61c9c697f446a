package io.valuetier.ingest;

import io.valuetier.clean.CatalogueCleaner;
import io.valuetier.records.CatalogueProduct;
import io.valuetier.store.IngestStore;
import io.valuetier.store.ProductStore;
import java.util.List;

/**
 * The steps of the product catalogue route: a CSV with a named header (product_id, description, unit_price,
 * in_stock), checked by {@link CatalogueCleaner}, upserted into {@code products}.
 */
public final class ProductIngest extends HeaderCsvIngest<CatalogueProduct> {
  private final ProductStore products;

  public ProductIngest(IngestStore store, int chunkSize, int maxRecordLines, int maxRecordBytes) {
    super("products", CatalogueCleaner::new, store, chunkSize, maxRecordLines, maxRecordBytes);
    this.products = new ProductStore(store.store());
  }

  @Override
  protected String customerOf(CatalogueProduct row) {
    return null;
  }

  @Override
  protected void storeAccepted(IngestRun run, List<CatalogueProduct> rows) {
    products.upsert(rows);
  }
}
