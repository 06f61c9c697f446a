package io.valuetier.clean;

/**
 * An open-addressing set of 128-bit keys that also counts how often each was added: 16 bytes and an int per entry,
 * with no object per key, so that duplicate detection over millions of lines stays small.
 */
public final class KeySet {
  private long[] hi;
  private long[] lo;
  private int[] counts;
  private int size;
  private int mask;

  public KeySet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    hi = new long[cap];
    lo = new long[cap];
    counts = new int[cap];
    mask = cap - 1;
  }

  /** Adds the key and returns how many times it was present before (0 for a new key). */
  public int addAndCount(long h, long l) {
    int i = slot(h, l);
    while (counts[i] != 0) {
      if (hi[i] == h && lo[i] == l) {
        return counts[i]++;
      }
      i = (i + 1) & mask;
    }
    hi[i] = h;
    lo[i] = l;
    counts[i] = 1;
    if (++size * 2 > hi.length) {
      grow();
    }
    return 0;
  }

  public int size() {
    return size;
  }

  private int slot(long h, long l) {
    long x = h ^ (l * 0x9E3779B97F4A7C15L);
    return (int) (x ^ (x >>> 29)) & mask;
  }

  private void grow() {
    long[] oh = hi;
    long[] ol = lo;
    int[] oc = counts;
    int cap = oh.length * 2;
    hi = new long[cap];
    lo = new long[cap];
    counts = new int[cap];
    mask = cap - 1;
    for (int j = 0; j < oh.length; j++) {
      if (oc[j] != 0) {
        int i = slot(oh[j], ol[j]);
        while (counts[i] != 0) {
          i = (i + 1) & mask;
        }
        hi[i] = oh[j];
        lo[i] = ol[j];
        counts[i] = oc[j];
      }
    }
  }

  @Override
  public String toString() {
    return "KeySet[size=" + size + ", capacity=" + hi.length + "]";
  }
}
