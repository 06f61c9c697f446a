package io.valuetier.model.picks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The trained recommender: for every product its {@code K} most similar products (item-to-item cosine similarity of
 * who bought them: the number of customers who bought both over the geometric mean of each one's buyers) and the
 * products in order of recent popularity. Its size is products times {@code K}, whatever the number of customers.
 *
 * <p>A customer's picks: every product similar to one of the customer's most recently bought products scores the sum
 * of those similarities; products the customer bought within {@code recentDays} of the cutoff or ever returned are
 * never picked; the rest are filled with the most popular products (all of a cold-start customer's picks are). Each
 * pick says why in words. Thread-safe: the scratch space of a customer is per call.
 */
public final class ProductRecommender {
  private final String[] products;
  private final String[] descriptions;
  private final int[] neighbourStart;
  private final int[] neighbour;
  private final float[] similarity;
  private final int[] together;
  private final int[] popular;
  private final int[] popularBuyers;
  private final int cutoffDay;
  private final PicksSettings settings;

  ProductRecommender(String[] products, String[] descriptions, int[] neighbourStart, int[] neighbour,
      float[] similarity, int[] together, int[] popular, int[] popularBuyers, int cutoffDay, PicksSettings settings) {
    this.products = products;
    this.descriptions = descriptions;
    this.neighbourStart = neighbourStart;
    this.neighbour = neighbour;
    this.similarity = similarity;
    this.together = together;
    this.popular = popular;
    this.popularBuyers = popularBuyers;
    this.cutoffDay = cutoffDay;
    this.settings = settings;
  }

  public int products() {
    return products.length;
  }

  /** Neighbour entries kept (at most products times K). */
  public int neighbourEntries() {
    return neighbour.length;
  }

  public int cutoffDay() {
    return cutoffDay;
  }

  public PicksSettings settings() {
    return settings;
  }

  public String productId(int p) {
    return products[p];
  }

  /** The products in order of recent popularity (only those bought in the popularity window). */
  int[] popularOrder() {
    return popular;
  }

  /**
   * The picks of customer {@code c} of {@code log} (which must be the log the recommender was trained on), or of a
   * cold-start customer when {@code c < 0}: up to {@code n} products, best first.
   */
  public List<ProductPick> recommend(PurchaseLog log, int c, int n) {
    return recommend(log, c, n, false);
  }

  /** The popularity baseline: the most popular products the customer may be offered. */
  public List<ProductPick> popularFor(PurchaseLog log, int c, int n) {
    return recommend(log, c, n, true);
  }

  private List<ProductPick> recommend(PurchaseLog log, int c, int n, boolean popularOnly) {
    int recentFrom = cutoffDay - settings.recentDays() + 1;
    long[] excluded = new long[(products.length + 63) / 64];
    int[] history = c < 0 ? new int[0] : history(log, c, recentFrom, excluded);
    List<ProductPick> out = new ArrayList<>(n);
    if (!popularOnly && history.length > 0) {
      together(history, n, excluded, out);
    }
    for (int i = 0; i < popular.length && out.size() < n; i++) {
      int p = popular[i];
      if (!isSet(excluded, p)) {
        set(excluded, p);
        out.add(new ProductPick(products[p], descriptions[p], round(popularBuyers[i] / (double) Math.max(1,
            popularBuyers[0])), "popular: bought by " + popularBuyers[i] + " customers in the last "
                + settings.popularDays() + " days", null));
      }
    }
    return out;
  }

  /**
   * The customer's most recently bought products (at most {@code history}) as indexes of this recommender, marking
   * in {@code excluded} those bought since {@code recentFrom} or ever returned.
   */
  private int[] history(PurchaseLog log, int c, int recentFrom, long[] excluded) {
    int from = log.from(c);
    int to = log.to(c);
    long[] byDay = new long[to - from];
    int k = 0;
    for (int i = from; i < to; i++) {
      int p = log.product(i);
      if (p >= products.length) {
        continue; // not known when trained
      }
      int day = log.lastDay(i);
      if (log.returned(i) || day >= recentFrom) {
        set(excluded, p);
      }
      if (day != PurchaseLog.NEVER_BOUGHT && !log.returned(i)) {
        byDay[k++] = (long) day << 32 | p;
      }
    }
    Arrays.sort(byDay, 0, k);
    int m = Math.min(k, settings.history());
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = (int) byDay[k - 1 - i];
    }
    return out;
  }

  private void together(int[] history, int n, long[] excluded, List<ProductPick> out) {
    // sparse accumulation over the neighbours of the history: at most history x K candidates
    int cap = Math.max(16, Integer.highestOneBit(history.length * Math.max(1, maxNeighbours()) * 2) << 1);
    int[] keys = new int[cap];
    Arrays.fill(keys, -1);
    float[] score = new float[cap];
    float[] best = new float[cap];
    int[] anchor = new int[cap];
    int[] anchorTogether = new int[cap];
    int used = 0;
    for (int h : history) {
      for (int e = neighbourStart[h]; e < neighbourStart[h + 1]; e++) {
        int j = neighbour[e];
        if (isSet(excluded, j)) {
          continue;
        }
        int slot = (j * 0x9E3779B9 >>> 1) & (cap - 1);
        while (keys[slot] != -1 && keys[slot] != j) {
          slot = (slot + 1) & (cap - 1);
        }
        if (keys[slot] == -1) {
          keys[slot] = j;
          used++;
        }
        score[slot] += similarity[e];
        if (similarity[e] > best[slot]) {
          best[slot] = similarity[e];
          anchor[slot] = h;
          anchorTogether[slot] = together[e];
        }
      }
    }
    if (used == 0) {
      return;
    }
    // the best n slots by score, ties by product index (never by hashing): a selection, not a sort of all candidates
    int want = Math.min(n - out.size(), used);
    int[] top = new int[want];
    int size = 0;
    for (int slot = 0; slot < cap; slot++) {
      if (keys[slot] == -1) {
        continue;
      }
      if (size == want && !better(slot, top[size - 1], keys, score)) {
        continue;
      }
      int at = size < want ? size++ : size - 1;
      while (at > 0 && better(slot, top[at - 1], keys, score)) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = slot;
    }
    for (int i = 0; i < size; i++) {
      int slot = top[i];
      int j = keys[slot];
      set(excluded, j);
      out.add(new ProductPick(products[j], descriptions[j], round(score[slot]), "bought together with "
          + descriptions[anchor[slot]] + " by " + anchorTogether[slot] + " customers", null));
    }
  }

  private static boolean better(int a, int b, int[] keys, float[] score) {
    return score[a] != score[b] ? score[a] > score[b] : keys[a] < keys[b];
  }

  private int maxNeighbours() {
    return settings.neighbours();
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & 1L << i) != 0;
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ProductRecommender[%,d products, %,d neighbour entries, cutoff day %d]",
        products.length, neighbour.length, cutoffDay);
  }
}
