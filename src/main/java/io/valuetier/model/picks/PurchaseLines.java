package io.valuetier.model.picks;

import io.valuetier.features.OrderLineSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order lines the picks need, kept while the main job reads the transactions for the value models, so that the
 * picks stage does not read the whole table a second time: one {@code long} per distinct (customer, product, day,
 * purchase or return), in {@link PurchaseLog}'s packed layout with the day of a return kept. From them come the log of
 * every line ({@link #log()}) and, once the holdout evaluation has fixed its dates, the logs before and after its
 * cutoff ({@link #log(int, int)}): the same pairs, days and marks as a {@link PurchaseLog.Builder} given the same
 * lines and days would hold. Products keep the order in which they were first read (ties in the recommender go to the
 * lower index), and every log carries the product's last description read.
 */
public final class PurchaseLines implements OrderLineSink {
  private final Map<String, Integer> customerIndex = new HashMap<>();
  private final List<String> customerIds = new ArrayList<>();
  private final Map<String, Integer> productIndex = new HashMap<>();
  private final List<String> productIds = new ArrayList<>();
  private String[] descriptions = new String[1024];
  private long[] buf = new long[1 << 16];
  private int n;
  private boolean merged = true;

  /** Adds one order line; a line without customer or product, or before 1970 or after 2149, is left out. */
  @Override
  public void add(String customerId, String productId, String description, int day, boolean isReturn) {
    if (customerId == null || productId == null || day < 0 || day > PurchaseLog.MAX_DAY) {
      return;
    }
    int c = indexOf(customerIndex, customerIds, customerId);
    int p = indexOf(productIndex, productIds, productId);
    if (p >= descriptions.length) {
      descriptions = Arrays.copyOf(descriptions, descriptions.length * 2);
    }
    if (description != null && !isReturn && !description.isBlank()) {
      descriptions[p] = description.strip();
    }
    PurchaseLog.checkSize(c, p);
    if (n == buf.length) {
      dedupe();
      if (n > buf.length / 2) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
    }
    buf[n++] = (long) c << PurchaseLog.CUSTOMER_SHIFT | (long) p << PurchaseLog.PAIR_SHIFT
        | (long) day << PurchaseLog.KIND_BITS | (isReturn ? PurchaseLog.RETURNED : PurchaseLog.BOUGHT);
    merged = false;
  }

  /** The index of {@code id}, the next free one (in the order ids are first read) when it is new. */
  private static int indexOf(Map<String, Integer> index, List<String> ids, String id) {
    Integer known = index.get(id);
    if (known != null) {
      return known;
    }
    index.put(id, ids.size());
    ids.add(id);
    return ids.size() - 1;
  }

  /** Distinct (customer, product, day, kind) entries kept. */
  public int entries() {
    dedupe();
    return n;
  }

  /** The log of every line. */
  public PurchaseLog log() {
    return log(0, PurchaseLog.MAX_DAY);
  }

  /** The log of the lines whose epoch day lies in {@code [fromDay, toDay]}. */
  public PurchaseLog log(int fromDay, int toDay) {
    dedupe();
    boolean[] hasCustomer = new boolean[customerIds.size()];
    boolean[] hasProduct = new boolean[productIds.size()];
    int kept = 0;
    int minDay = Integer.MAX_VALUE;
    int maxDay = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long v = buf[i];
      int day = day(v);
      if (day >= fromDay && day <= toDay) {
        hasCustomer[(int) (v >>> PurchaseLog.CUSTOMER_SHIFT)] = true;
        hasProduct[product(v)] = true;
        kept++;
        minDay = Math.min(minDay, day);
        maxDay = Math.max(maxDay, day);
      }
    }
    int[] customerTo = new int[hasCustomer.length];
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < hasCustomer.length; c++) {
      customerTo[c] = hasCustomer[c] ? ids.size() : -1;
      if (hasCustomer[c]) {
        ids.add(customerIds.get(c));
      }
    }
    int[] productTo = new int[hasProduct.length];
    List<String> codes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int p = 0; p < hasProduct.length; p++) {
      productTo[p] = hasProduct[p] ? codes.size() : -1;
      if (hasProduct[p]) {
        codes.add(productIds.get(p));
        texts.add(descriptions[p]);
      }
    }
    long[] pairs = new long[kept];
    int k = 0;
    for (int i = 0; i < n; i++) {
      long v = buf[i];
      int day = day(v);
      if (day >= fromDay && day <= toDay) {
        long pair = (long) customerTo[(int) (v >>> PurchaseLog.CUSTOMER_SHIFT)] << PurchaseLog.CUSTOMER_SHIFT
            | (long) productTo[product(v)] << PurchaseLog.PAIR_SHIFT;
        // as the builder packs them: a return carries day 0 and no purchase mark
        pairs[k++] = (v & PurchaseLog.RETURNED) != 0 ? pair | PurchaseLog.RETURNED
            : pair | (long) day << PurchaseLog.KIND_BITS | PurchaseLog.BOUGHT;
      }
    }
    int m = PurchaseLog.merge(pairs, k);
    return PurchaseLog.assemble(pairs, m, ids.toArray(String[]::new), codes.toArray(String[]::new),
        texts.toArray(String[]::new), kept == 0 ? 0 : minDay, kept == 0 ? -1 : maxDay);
  }

  /** Sorts the entries and drops repeats (the same customer, product, day and kind). */
  private void dedupe() {
    if (merged) {
      return;
    }
    Arrays.parallelSort(buf, 0, n);
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (out == 0 || buf[out - 1] != buf[i]) {
        buf[out++] = buf[i];
      }
    }
    n = out;
    merged = true;
  }

  private static int day(long v) {
    return (int) (v >>> PurchaseLog.KIND_BITS & PurchaseLog.MAX_DAY);
  }

  private static int product(long v) {
    return (int) (v >>> PurchaseLog.PAIR_SHIFT & (PurchaseLog.MAX_PRODUCTS - 1));
  }
}
