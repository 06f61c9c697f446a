package io.valuetier.ingest;

import io.valuetier.records.IngestException;
import io.valuetier.records.TransactionDraft;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transaction file layouts that {@code --format} selects. Each maps its columns onto the canonical fields of a
 * {@link TransactionDraft}.
 */
public enum TransactionFormat {
  /** Our own layout: a header row with these names, in any order; see the README. */
  CANONICAL(
      "canonical",
      DelimitedReader.Mode.COMMA,
      true,
      new String[] {
        "order_id", "customer_id", "order_date", "product_id", "description", "quantity", "unit_price",
        "currency", "country"
      },
      new String[] {"customer_id", "order_date", "quantity", "unit_price"}),
  /** UCI Online Retail (2010-12..2011-12). */
  ONLINE_RETAIL(
      "online-retail",
      DelimitedReader.Mode.COMMA,
      true,
      new String[] {
        "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"
      },
      null),
  /** UCI Online Retail II (2009-12..2011-12). */
  ONLINE_RETAIL_II(
      "online-retail-ii",
      DelimitedReader.Mode.COMMA,
      true,
      new String[] {"Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"},
      null),
  /**
   * CDNOW (Fader and Hardie): whitespace separated {@code customer_id date(YYYYMMDD) number_of_cds dollar_value}, with
   * or without a header line. The 1/10 sample's five-column layout (master id, sample id, ...) is recognised too.
   */
  CDNOW("cdnow", DelimitedReader.Mode.WHITESPACE, false, new String[] {"customer_id", "date", "number_of_cds", "dollar_value"}, null);

  private final String id;
  private final DelimitedReader.Mode mode;
  private final boolean headerRequired;
  private final String[] header;
  private final String[] required;

  TransactionFormat(String id, DelimitedReader.Mode mode, boolean headerRequired, String[] header, String[] required) {
    this.id = id;
    this.mode = mode;
    this.headerRequired = headerRequired;
    this.header = header;
    this.required = required;
  }

  /** The name used on the command line. */
  public String id() {
    return id;
  }

  public DelimitedReader.Mode mode() {
    return mode;
  }

  public boolean headerRequired() {
    return headerRequired;
  }

  /** The header as documented (for messages and the README). */
  public List<String> header() {
    return List.of(header);
  }

  /** Without an order id, two identical lines are two purchases; with one, the second is a duplicate. */
  public boolean identicalLinesAreDuplicates() {
    return this != CDNOW;
  }

  public static TransactionFormat of(String id) {
    for (TransactionFormat f : values()) {
      if (f.id.equalsIgnoreCase(id) || f.name().equalsIgnoreCase(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + id + "': use one of " + Arrays.stream(values()).map(TransactionFormat::id).toList());
  }

  /**
   * Binds this format to the first line of a file.
   *
   * @param firstLine the fields of the file's first record
   * @return the column positions, and whether the first line was a header
   */
  public Binding bind(String source, String[] firstLine) {
    if (this == CDNOW) {
      boolean isHeader = firstLine.length > 0 && !firstLine[0].isEmpty() && !Character.isDigit(firstLine[0].charAt(0));
      return new Binding(this, isHeader, -1, 0, 1, -1, -1, 2, -1, 3, -1, -1, 4);
    }
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < firstLine.length; i++) {
      pos.put(firstLine[i].strip().toLowerCase(Locale.ROOT), i);
    }
    if (this == CANONICAL) {
      List<String> missing = new ArrayList<>();
      for (String r : required) {
        if (!pos.containsKey(r)) {
          missing.add(r);
        }
      }
      if (!missing.isEmpty()) {
        throw new IngestException(
            source + " line 1: the canonical layout needs the column(s) " + missing + " in its header; found "
                + Arrays.toString(firstLine) + ". Expected names: " + String.join(",", header));
      }
      return new Binding(
          this,
          true,
          idx(pos, "order_id"),
          idx(pos, "customer_id"),
          idx(pos, "order_date"),
          idx(pos, "product_id"),
          idx(pos, "description"),
          idx(pos, "quantity"),
          idx(pos, "unit_price"),
          -1,
          idx(pos, "currency"),
          idx(pos, "country"),
          firstLine.length);
    }
    String[] got = Arrays.stream(firstLine).map(String::strip).toArray(String[]::new);
    if (!Arrays.asList(got).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
        .equals(Arrays.stream(header).map(s -> s.toLowerCase(Locale.ROOT)).toList())) {
      List<String> have = Arrays.stream(got).map(g -> g.toLowerCase(Locale.ROOT)).toList();
      List<String> missing = Arrays.stream(header).filter(h -> !have.contains(h.toLowerCase(Locale.ROOT))).toList();
      String what = missing.isEmpty()
          ? "has the columns of the " + id + " layout in another order " + Arrays.toString(got)
              + "; the layout is " + String.join(",", header)
          : "lacks the column(s) " + String.join(", ", missing) + " of the " + id + " layout (found "
              + String.join(",", got) + ")";
      throw new IngestException(source + " line 1: the header " + what + ". Is --format right? Formats: "
          + String.join(", ", Arrays.stream(values()).map(TransactionFormat::id).toList()));
    }
    return new Binding(this, true, 0, 6, 4, 1, 2, 3, 5, -1, -1, 7, 8);
  }

  private static int idx(Map<String, Integer> pos, String name) {
    return pos.getOrDefault(name, -1);
  }

  /** Column positions of one file (-1 when the file has no such column). */
  public record Binding(
      TransactionFormat format,
      boolean firstLineIsHeader,
      int orderId,
      int customerId,
      int date,
      int productId,
      int description,
      int quantity,
      int unitPrice,
      int lineAmount,
      int currency,
      int country,
      int columns) {

    /** CDNOW's 1/10 sample has a sample id after the master id: shift the columns by one. */
    Binding forCdnowColumns(int n) {
      if (format != CDNOW || n != 5) {
        return this;
      }
      return new Binding(format, firstLineIsHeader, -1, 0, 2, -1, -1, 3, -1, 4, -1, -1, 5);
    }

    /** Maps a record's fields; the record must have {@link #columns()} fields. */
    public void map(String[] f, TransactionDraft d) {
      d.orderId = orderId < 0 ? null : f[orderId];
      d.customerId = f[customerId];
      d.date = f[date];
      d.productId = productId < 0 ? null : f[productId];
      d.description = description < 0 ? null : f[description];
      d.quantity = f[quantity];
      d.unitPrice = unitPrice < 0 ? null : f[unitPrice];
      d.lineAmount = lineAmount < 0 ? null : f[lineAmount];
      d.currency = currency < 0 ? null : f[currency];
      d.country = country < 0 ? null : f[country];
    }
  }
}
