package io.valuetier.clean;

import io.valuetier.records.CatalogueProduct;
import io.valuetier.records.RejectReason;
import io.valuetier.records.Rejection;
import io.valuetier.util.Excerpt;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the product catalogue from a CSV whose header names the columns ({@link #COLUMNS}, any order, only
 * {@code product_id} required) and checks them: one line per product, a price that is a number of at least 0, an
 * in-stock flag that is yes or no.
 */
public final class CatalogueCleaner implements LineCleaner<CatalogueProduct> {
  /** The columns a catalogue file may have. */
  public static final List<String> COLUMNS = List.of("product_id", "description", "unit_price", "in_stock");

  private final NamedColumns header;
  private final Map<String, Long> firstLine = new HashMap<>();

  public CatalogueCleaner(String source, String[] header, LocalDateTime latest) {
    this.header = new NamedColumns(source, "product catalogue", COLUMNS, header, List.of("product_id"));
  }

  @Override
  public Result<CatalogueProduct> clean(long line, String[] f, Supplier<String> text) {
    if (f.length != header.width()) {
      return reject(line, RejectReason.WRONG_COLUMN_COUNT, null, null,
          "line has " + f.length + " columns, the header has " + header.width(), text);
    }
    String id = header.text(f, 0);
    if (id == null) {
      return reject(line, RejectReason.MISSING_PRODUCT_ID, "product_id", header.raw(f, 0), "no product code", text);
    }
    id = id.strip();
    String description = header.text(f, 1);
    if (id.length() > 64 || (description != null && description.length() > 512)) {
      return reject(line, RejectReason.FIELD_TOO_LONG, id.length() > 64 ? "product_id" : "description",
          Excerpt.of(id.length() > 64 ? id : description),
          "product_id keeps at most 64 characters and description 512", text);
    }
    BigDecimal price = null;
    String p = header.text(f, 2);
    if (p != null) {
      try {
        price = new BigDecimal(p.strip());
      } catch (NumberFormatException e) {
        price = BigDecimal.ONE.negate();
      }
      if (price.signum() < 0) {
        return reject(line, RejectReason.BAD_PRICE, "unit_price", p,
            "unit_price '" + Excerpt.of(p) + "' is not a number of at least 0", text);
      }
    }
    Boolean inStock;
    try {
      inStock = header.flag(f, 3);
    } catch (NamedColumns.BadFlag e) {
      return reject(line, RejectReason.BAD_FLAG, e.column(), e.value(),
          e.column() + " '" + Excerpt.of(e.value()) + "' is not yes/no (true, false, yes, no, y, n, 1, 0)", text);
    }
    Long earlier = firstLine.putIfAbsent(id, line);
    if (earlier != null) {
      return reject(line, RejectReason.DUPLICATE, "product_id", id,
          "product " + Excerpt.of(id) + " already appears on line " + earlier + "; keep one line per product", text);
    }
    return new Result<>(new CatalogueProduct(id, description, price, inStock), null);
  }

  private static Result<CatalogueProduct> reject(
      long line, RejectReason r, String column, String value, String message, Supplier<String> text) {
    return new Result<>(null, new Rejection(line, r, column, value, message, text.get()));
  }
}
