package io.valuetier.model.picks;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Trains the {@link ProductRecommender} on a {@link PurchaseLog} cut at the training cutoff: counts, for every product,
 * the customers who bought it together with each other product (over each customer's most recent {@code history}
 * products), keeps the {@code K} most similar and orders the products by recent buyers.
 *
 * <p>The co-purchase counts are never held for all pairs at once: products are processed one at a time (in parallel),
 * each with one dense row of counts per thread, and only its top {@code K} survive. Memory is the log, the inverted
 * index (one int per pair) and products times K; time is the sum over customers of their history squared.
 */
public final class RecommenderTrainer {
  private final PicksSettings settings;

  public RecommenderTrainer(PicksSettings settings) {
    this.settings = settings;
  }

  /** Trains on every pair of {@code log} (whose lines end at {@code cutoffDay}). */
  public ProductRecommender train(PurchaseLog log, int cutoffDay) {
    int products = log.products();
    int customers = log.customers();
    // each customer's most recent products (bought, not only returned)
    int[] histStart = new int[customers + 1];
    int[][] hist = new int[customers][];
    for (int c = 0; c < customers; c++) {
      hist[c] = recent(log, c);
      histStart[c + 1] = histStart[c] + hist[c].length;
    }
    // inverted index: product -> customers whose history holds it
    int[] buyerStart = new int[products + 1];
    for (int[] h : hist) {
      for (int p : h) {
        buyerStart[p + 1]++;
      }
    }
    for (int p = 0; p < products; p++) {
      buyerStart[p + 1] += buyerStart[p];
    }
    int[] fill = Arrays.copyOf(buyerStart, products);
    int[] buyers = new int[buyerStart[products]];
    for (int c = 0; c < customers; c++) {
      for (int p : hist[c]) {
        buyers[fill[p]++] = c;
      }
    }
    int k = settings.neighbours();
    int[][] nbr = new int[products][];
    float[][] sim = new float[products][];
    int[][] tog = new int[products][];
    ThreadLocal<int[]> counts = ThreadLocal.withInitial(() -> new int[products]);
    ThreadLocal<int[]> touched = ThreadLocal.withInitial(() -> new int[products]);
    IntStream.range(0, products).parallel().forEach(i -> {
      int[] count = counts.get();
      int[] seen = touched.get();
      int m = 0;
      for (int b = buyerStart[i]; b < buyerStart[i + 1]; b++) {
        for (int j : hist[buyers[b]]) {
          if (j != i && count[j]++ == 0) {
            seen[m++] = j;
          }
        }
      }
      double ni = buyerStart[i + 1] - buyerStart[i];
      long[] ranked = new long[m];
      int r = 0;
      for (int t = 0; t < m; t++) {
        int j = seen[t];
        int co = count[j];
        count[j] = 0;
        if (co >= settings.minTogether()) {
          float s = (float) (co / Math.sqrt(ni * (buyerStart[j + 1] - buyerStart[j])));
          // similarity high bits (positive floats sort as their bits), product low bits: ties by product index
          ranked[r++] = (long) Float.floatToIntBits(s) << 32 | (0xFFFFFFFFL - j);
        }
      }
      Arrays.sort(ranked, 0, r);
      int keep = Math.min(k, r);
      nbr[i] = new int[keep];
      sim[i] = new float[keep];
      tog[i] = new int[keep];
      for (int t = 0; t < keep; t++) {
        long v = ranked[r - 1 - t];
        int j = (int) (0xFFFFFFFFL - (v & 0xFFFFFFFFL));
        nbr[i][t] = j;
        sim[i][t] = Float.intBitsToFloat((int) (v >>> 32));
      }
      // the counts of the kept neighbours, for the reasons ("by 412 customers")
      for (int b = buyerStart[i]; b < buyerStart[i + 1]; b++) {
        for (int j : hist[buyers[b]]) {
          if (j != i) {
            count[j]++;
          }
        }
      }
      for (int t = 0; t < keep; t++) {
        tog[i][t] = count[nbr[i][t]];
      }
      for (int t = 0; t < m; t++) {
        count[seen[t]] = 0;
      }
    });
    int[] start = new int[products + 1];
    for (int p = 0; p < products; p++) {
      start[p + 1] = start[p] + nbr[p].length;
    }
    int[] neighbour = new int[start[products]];
    float[] similarity = new float[start[products]];
    int[] together = new int[start[products]];
    for (int p = 0; p < products; p++) {
      System.arraycopy(nbr[p], 0, neighbour, start[p], nbr[p].length);
      System.arraycopy(sim[p], 0, similarity, start[p], sim[p].length);
      System.arraycopy(tog[p], 0, together, start[p], tog[p].length);
    }
    int[][] popular = popular(log, cutoffDay);
    String[] codes = new String[products];
    String[] names = new String[products];
    for (int p = 0; p < products; p++) {
      codes[p] = log.productId(p);
      names[p] = log.description(p);
    }
    return new ProductRecommender(codes, names, start, neighbour, similarity, together, popular[0], popular[1],
        cutoffDay, settings);
  }

  /** The customer's most recently bought products, at most {@code history}. */
  private int[] recent(PurchaseLog log, int c) {
    int from = log.from(c);
    int to = log.to(c);
    long[] byDay = new long[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      if (log.lastDay(i) != PurchaseLog.NEVER_BOUGHT) {
        byDay[n++] = (long) log.lastDay(i) << 32 | log.product(i);
      }
    }
    if (n > settings.history()) {
      Arrays.sort(byDay, 0, n);
      byDay = Arrays.copyOfRange(byDay, n - settings.history(), n);
      n = byDay.length;
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) byDay[i];
    }
    return out;
  }

  /** Products bought in the popularity window, by distinct buyers (descending; ties by product index). */
  private int[][] popular(PurchaseLog log, int cutoffDay) {
    int from = cutoffDay - settings.popularDays() + 1;
    int[] buyers = new int[log.products()];
    for (int i = 0; i < log.pairs(); i++) {
      if (log.lastDay(i) >= from) {
        buyers[log.product(i)]++;
      }
    }
    long[] ranked = new long[log.products()];
    int n = 0;
    for (int p = 0; p < buyers.length; p++) {
      if (buyers[p] > 0) {
        ranked[n++] = (long) buyers[p] << 32 | (0xFFFFFFFFL - p);
      }
    }
    Arrays.sort(ranked, 0, n);
    int[] order = new int[n];
    int[] count = new int[n];
    for (int i = 0; i < n; i++) {
      long v = ranked[n - 1 - i];
      order[i] = (int) (0xFFFFFFFFL - (v & 0xFFFFFFFFL));
      count[i] = (int) (v >>> 32);
    }
    return new int[][] {order, count};
  }
}
