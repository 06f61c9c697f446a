package io.valuetier.model.picks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which customer bought which product, and when last: one entry per distinct (customer, product) pair with the day of
 * the last purchase and whether the customer ever returned the product. This is all the recommender needs, and its size
 * is the number of distinct pairs, never customers times products.
 *
 * <p>The builder packs each order line into one {@code long} (customer 24 bits, product 21 bits, day 16 bits, a
 * purchase and a return mark) and merges lines of the same pair whenever its buffer fills, so a customer who buys the same product every
 * week costs one entry, not one per line. After {@link Builder#build()} the pairs are in customer order, the products
 * of a customer in product order (compressed rows).
 */
public final class PurchaseLog {
  /** Days are stored relative to this day (epoch day), so 16 bits cover 1970..2149. */
  private static final int DAY_BITS = 16;
  private static final int PRODUCT_BITS = 21;
  private static final int CUSTOMER_BITS = 24;
  // One packed order line or pair: customer | product | day | kind (a purchase and a return mark).
  static final int KIND_BITS = 2;
  static final int PAIR_SHIFT = DAY_BITS + KIND_BITS;
  static final int CUSTOMER_SHIFT = PRODUCT_BITS + PAIR_SHIFT;
  static final long BOUGHT = 2;
  static final long RETURNED = 1;
  static final int MAX_DAY = (1 << DAY_BITS) - 1;
  static final int MAX_CUSTOMERS = 1 << CUSTOMER_BITS;
  static final int MAX_PRODUCTS = 1 << PRODUCT_BITS;

  /** The day of a pair that was only ever returned (no purchase in the log). */
  public static final int NEVER_BOUGHT = -1;

  private final String[] customers;
  private final String[] products;
  private final String[] descriptions;
  private final int[] start;
  private final int[] product;
  private final int[] lastDay;
  private final boolean[] returned;
  private final int firstDay;
  private final int endDay;

  private PurchaseLog(String[] customers, String[] products, String[] descriptions, int[] start, int[] product,
      int[] lastDay, boolean[] returned, int firstDay, int endDay) {
    this.customers = customers;
    this.products = products;
    this.descriptions = descriptions;
    this.start = start;
    this.product = product;
    this.lastDay = lastDay;
    this.returned = returned;
    this.firstDay = firstDay;
    this.endDay = endDay;
  }

  /** A builder keeping only lines whose day lies in {@code [fromDay, toDay]} (epoch days). */
  public static Builder builder(int fromDay, int toDay) {
    return new Builder(fromDay, toDay);
  }

  /** A builder keeping every line. */
  public static Builder builder() {
    return new Builder(0, MAX_DAY);
  }

  /** Customers with at least one line. */
  public int customers() {
    return customers.length;
  }

  /** Products seen in any line (bought or returned). */
  public int products() {
    return products.length;
  }

  /** Distinct (customer, product) pairs. */
  public int pairs() {
    return product.length;
  }

  public String customerId(int c) {
    return customers[c];
  }

  public String productId(int p) {
    return products[p];
  }

  /** The last description seen for the product, or its code when the lines had none. */
  public String description(int p) {
    return descriptions[p] == null ? products[p] : descriptions[p];
  }

  /** The index of a customer, or -1. */
  public int indexOfCustomer(String id) {
    int i = Arrays.binarySearch(customers, id);
    return i >= 0 ? i : -1;
  }

  /** The index of a product code, or -1 (a linear search: for tests and single look-ups). */
  int indexOfProductForTest(String code) {
    for (int p = 0; p < products.length; p++) {
      if (products[p].equals(code)) {
        return p;
      }
    }
    return -1;
  }

  /** The first pair of customer {@code c}; its pairs are {@code [from(c), to(c))}. */
  public int from(int c) {
    return start[c];
  }

  public int to(int c) {
    return start[c + 1];
  }

  /** The product of pair {@code i}. */
  public int product(int i) {
    return product[i];
  }

  /** The epoch day of the last purchase of pair {@code i}, or {@link #NEVER_BOUGHT}. */
  public int lastDay(int i) {
    return lastDay[i];
  }

  /** Whether the customer of pair {@code i} returned the product at least once. */
  public boolean returned(int i) {
    return returned[i];
  }

  /** The first and last epoch day of a kept line (0 and -1 when there is none). */
  public int firstDay() {
    return firstDay;
  }

  public int lastDay() {
    return endDay;
  }

  /** Fails when a customer or product index does not fit the packed layout. */
  static void checkSize(int customer, int product) {
    if (customer >= MAX_CUSTOMERS || product >= MAX_PRODUCTS) {
      throw new IllegalStateException("the recommender keeps at most " + MAX_CUSTOMERS + " customers and "
          + MAX_PRODUCTS + " products; this log has more");
    }
  }

  /**
   * Sorts {@code buf[0..n)} (packed lines: a return with day 0) and merges the lines of each pair into one (last
   * purchase day, any purchase, any return); returns the number of pairs, now at the front of {@code buf}.
   */
  static int merge(long[] buf, int n) {
    Arrays.parallelSort(buf, 0, n);
    int out = 0;
    int i = 0;
    while (i < n) {
      long pair = buf[i] >>> PAIR_SHIFT;
      long merged = buf[i];
      int j = i + 1;
      while (j < n && buf[j] >>> PAIR_SHIFT == pair) {
        long v = buf[j];
        long day = Math.max(merged >>> KIND_BITS & MAX_DAY, v >>> KIND_BITS & MAX_DAY);
        merged = pair << PAIR_SHIFT | day << KIND_BITS | ((merged | v) & (BOUGHT | RETURNED));
        j++;
      }
      buf[out++] = merged;
      i = j;
    }
    return out;
  }

  /**
   * The log of the merged pairs {@code buf[0..n)} (from {@link #merge}), whose customer and product indexes point into
   * {@code ids} and {@code codes}: the customers are put in id order. {@code buf} is reused.
   */
  static PurchaseLog assemble(long[] buf, int n, String[] ids, String[] codes, String[] descriptions, int minDay,
      int maxDay) {
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> ids[a].compareTo(ids[b]));
    int[] rank = new int[ids.length];
    String[] sorted = new String[ids.length];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r;
      sorted[r] = ids[order[r]];
    }
    long mask = (1L << CUSTOMER_SHIFT) - 1;
    for (int i = 0; i < n; i++) {
      buf[i] = (long) rank[(int) (buf[i] >>> CUSTOMER_SHIFT)] << CUSTOMER_SHIFT | (buf[i] & mask);
    }
    Arrays.parallelSort(buf, 0, n);
    int[] start = new int[sorted.length + 1];
    int[] product = new int[n];
    int[] last = new int[n];
    boolean[] ret = new boolean[n];
    for (int i = 0; i < n; i++) {
      long v = buf[i];
      start[(int) (v >>> CUSTOMER_SHIFT) + 1]++;
      product[i] = (int) (v >>> PAIR_SHIFT & (MAX_PRODUCTS - 1));
      last[i] = (v & BOUGHT) != 0 ? (int) (v >>> KIND_BITS & MAX_DAY) : NEVER_BOUGHT;
      ret[i] = (v & RETURNED) != 0;
    }
    for (int c = 0; c < sorted.length; c++) {
      start[c + 1] += start[c];
    }
    return new PurchaseLog(sorted, codes, descriptions, start, product, last, ret, minDay, maxDay);
  }

  /** Collects order lines; not thread-safe. */
  public static final class Builder {
    private final int fromDay;
    private final int toDay;
    private final Map<String, Integer> customerIndex = new HashMap<>();
    private final Map<String, Integer> productIndex = new HashMap<>();
    private String[] descriptions = new String[1024];
    private long[] buf = new long[1 << 16];
    private int n;
    private int minDay = Integer.MAX_VALUE;
    private int maxDay = Integer.MIN_VALUE;

    private Builder(int fromDay, int toDay) {
      this.fromDay = Math.max(0, fromDay);
      this.toDay = Math.min(MAX_DAY, toDay);
    }

    /**
     * Adds one order line; a line without customer or product, or outside the builder's days, is ignored.
     *
     * @param day epoch day of the order
     * @param isReturn whether the line gives goods back (negative quantity)
     */
    public Builder add(String customerId, String productId, String description, int day, boolean isReturn) {
      if (customerId == null || productId == null || day < fromDay || day > toDay) {
        return this;
      }
      int c = customerIndex.computeIfAbsent(customerId, k -> customerIndex.size());
      Integer known = productIndex.get(productId);
      int p;
      if (known == null) {
        p = productIndex.size();
        productIndex.put(productId, p);
        if (p >= descriptions.length) {
          descriptions = Arrays.copyOf(descriptions, descriptions.length * 2);
        }
      } else {
        p = known;
      }
      if (description != null && !isReturn && !description.isBlank()) {
        descriptions[p] = description.strip();
      }
      checkSize(c, p);
      if (n == buf.length) {
        compact();
        if (n > buf.length / 2) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
      }
      long pair = (long) c << CUSTOMER_SHIFT | (long) p << PAIR_SHIFT;
      // a return carries day 0 and no purchase mark, so merging takes the maximum day and ORs the marks
      buf[n++] = isReturn ? pair | RETURNED : pair | (long) day << KIND_BITS | BOUGHT;
      minDay = Math.min(minDay, day);
      maxDay = Math.max(maxDay, day);
      return this;
    }

    /** Sorts the buffer and merges the lines of each pair into one (last purchase day, any purchase, any return). */
    private void compact() {
      n = merge(buf, n);
    }

    /** The log of the lines added so far; the builder is spent. */
    public PurchaseLog build() {
      compact();
      String[] ids = new String[customerIndex.size()];
      customerIndex.forEach((k, v) -> ids[v] = k);
      String[] codes = new String[productIndex.size()];
      productIndex.forEach((k, v) -> codes[v] = k);
      PurchaseLog log = assemble(buf, n, ids, codes, Arrays.copyOf(descriptions, codes.length),
          minDay == Integer.MAX_VALUE ? 0 : minDay, maxDay == Integer.MIN_VALUE ? -1 : maxDay);
      buf = new long[0];
      n = 0;
      return log;
    }
  }
}
