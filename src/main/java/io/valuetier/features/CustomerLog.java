package io.valuetier.features;

import io.valuetier.records.CustomerFacts;
import io.valuetier.records.Transaction;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;

/**
 * Every customer's history as one record per customer and day, built in one pass over the cleaned transactions:
 * what was bought (gross, items, order lines, products new to the customer) and what was returned that day. Returns
 * stay as their own amounts so that features can net them. Days are epoch days ({@link LocalDate#toEpochDay()}).
 *
 * <p>Immutable once built; arrays are in customer order, each customer's days ascending.
 *
 * <p>One job: a columnar, primitive-array store of every customer's days (built, appended and read back by index),
 * kept in one class because its arrays and their offsets must change together; it holds a million customers in a
 * few hundred MB where objects per day would not fit.
 */
public final class CustomerLog {
  private final String[] ids;
  private final String[] countries;
  private final CustomerFacts[] facts;
  private final int[] start;
  private final int[] day;
  private final double[] gross;
  private final double[] returned;
  private final double[] items;
  private final int[] lines;
  private final int[] newProducts;
  private final int firstDay;
  private final int lastDay;
  private final String fingerprint;
  private volatile Map<String, Integer> index;

  private CustomerLog(
      String[] ids,
      String[] countries,
      CustomerFacts[] facts,
      int[] start,
      int[] day,
      double[] gross,
      double[] returned,
      double[] items,
      int[] lines,
      int[] newProducts) {
    this.ids = ids;
    this.countries = countries;
    this.facts = facts;
    this.start = start;
    this.day = day;
    this.gross = gross;
    this.returned = returned;
    this.items = items;
    this.lines = lines;
    this.newProducts = newProducts;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < ids.length; i++) {
      if (start[i + 1] > start[i]) {
        lo = Math.min(lo, day[start[i]]);
        hi = Math.max(hi, day[start[i + 1] - 1]);
      }
    }
    this.firstDay = lo;
    this.lastDay = hi;
    this.fingerprint = computeFingerprint();
  }

  /**
   * The same customers with only the records up to and including {@code lastDay}: what a model may see when the
   * calibration period ends that day.
   */
  public CustomerLog upTo(int lastDay) {
    int n = ids.length;
    int[] keep = new int[n + 1];
    int r = 0;
    for (int c = 0; c < n; c++) {
      keep[c] = r;
      for (int k = start[c]; k < start[c + 1]; k++) {
        if (day[k] <= lastDay) {
          r++;
        }
      }
    }
    keep[n] = r;
    int[] d = new int[r];
    double[] g = new double[r];
    double[] ret = new double[r];
    double[] it = new double[r];
    int[] li = new int[r];
    int[] np = new int[r];
    int w = 0;
    for (int c = 0; c < n; c++) {
      for (int k = start[c]; k < start[c + 1]; k++) {
        if (day[k] <= lastDay) {
          d[w] = day[k];
          g[w] = gross[k];
          ret[w] = returned[k];
          it[w] = items[k];
          li[w] = lines[k];
          np[w] = newProducts[k];
          w++;
        }
      }
    }
    return new CustomerLog(ids, countries, facts, keep, d, g, ret, it, li, np);
  }

  /**
   * At most {@code maxCustomers} of the customers, chosen uniformly without replacement by a generator seeded with
   * {@code seed} (the same log, size and seed give the same sample), with all their records, in the log's order;
   * this log itself when it has no more customers than that.
   */
  public CustomerLog sample(int maxCustomers, long seed) {
    int n = ids.length;
    if (n <= maxCustomers) {
      return this;
    }
    int[] pick = new int[n];
    for (int i = 0; i < n; i++) {
      pick[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < maxCustomers; i++) {
      int j = i + r.nextInt(n - i);
      int t = pick[i];
      pick[i] = pick[j];
      pick[j] = t;
    }
    int[] chosen = Arrays.copyOf(pick, maxCustomers);
    Arrays.sort(chosen);
    return keep(chosen);
  }

  /**
   * A seeded random share of the customers with all their records: about {@code fraction} of them, the same ones for
   * the same seed and ids (a cheaper backtest over many cutoffs). A fraction of 1 or more returns this log.
   */
  public CustomerLog sampleShare(double fraction, long seed) {
    if (!(fraction > 0)) {
      throw new IllegalArgumentException("the share of customers to keep must be above 0, got " + fraction);
    }
    if (fraction >= 1) {
      return this;
    }
    int n = ids.length;
    int[] chosen = new int[n];
    int m = 0;
    for (int c = 0; c < n; c++) {
      long h = seed ^ ids[c].hashCode() * 0x9E3779B97F4A7C15L;
      h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 29;
      if ((h >>> 11) * 0x1.0p-53 < fraction) {
        chosen[m++] = c;
      }
    }
    return keep(Arrays.copyOf(chosen, m));
  }

  /** The customers at these indexes (ascending) with all their records, in the log's order. */
  private CustomerLog keep(int[] chosen) {
    int m = chosen.length;
    String[] sIds = new String[m];
    String[] sCountries = new String[m];
    CustomerFacts[] sFacts = new CustomerFacts[m];
    int[] sStart = new int[m + 1];
    int records = 0;
    for (int i = 0; i < m; i++) {
      records += start[chosen[i] + 1] - start[chosen[i]];
    }
    int[] d = new int[records];
    double[] g = new double[records];
    double[] ret = new double[records];
    double[] it = new double[records];
    int[] li = new int[records];
    int[] np = new int[records];
    int w = 0;
    for (int i = 0; i < m; i++) {
      int c = chosen[i];
      sIds[i] = ids[c];
      sCountries[i] = countries[c];
      sFacts[i] = facts[c];
      sStart[i] = w;
      int len = start[c + 1] - start[c];
      System.arraycopy(day, start[c], d, w, len);
      System.arraycopy(gross, start[c], g, w, len);
      System.arraycopy(returned, start[c], ret, w, len);
      System.arraycopy(items, start[c], it, w, len);
      System.arraycopy(lines, start[c], li, w, len);
      System.arraycopy(newProducts, start[c], np, w, len);
      w += len;
    }
    sStart[m] = w;
    return new CustomerLog(sIds, sCountries, sFacts, sStart, d, g, ret, it, li, np);
  }

  /** A builder that takes transactions in any order. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of customers. */
  public int size() {
    return ids.length;
  }

  /** Number of customer-day records. */
  public int records() {
    return day.length;
  }

  public String id(int customer) {
    return ids[customer];
  }

  /** The customer's country as last seen in a transaction (or the facts), or null. */
  public String country(int customer) {
    CustomerFacts f = facts[customer];
    if (f != null && f.country() != null) {
      return f.country();
    }
    return countries[customer];
  }

  /** The customer's facts, or null when none were given. */
  public CustomerFacts facts(int customer) {
    return facts[customer];
  }

  /** The index of a customer, or -1. */
  public int indexOf(String customerId) {
    Map<String, Integer> m = index;
    if (m == null) {
      m = new HashMap<>(ids.length * 2);
      for (int i = 0; i < ids.length; i++) {
        m.put(ids[i], i);
      }
      index = m;
    }
    return m.getOrDefault(customerId, -1);
  }

  /** First record of the customer; the customer's records are {@code [from(i), to(i))}. */
  public int from(int customer) {
    return start[customer];
  }

  public int to(int customer) {
    return start[customer + 1];
  }

  public int day(int record) {
    return day[record];
  }

  /** What was bought that day (positive amounts). */
  public double gross(int record) {
    return gross[record];
  }

  /** What was returned that day (the absolute value of negative amounts). */
  public double returned(int record) {
    return returned[record];
  }

  /** Items bought that day (positive quantities). */
  public double items(int record) {
    return items[record];
  }

  /** Purchase lines that day. */
  public int lines(int record) {
    return lines[record];
  }

  /** Products bought that day for the first time by this customer. */
  public int newProducts(int record) {
    return newProducts[record];
  }

  /** The earliest day with a record, or {@link Integer#MAX_VALUE} when empty. */
  public int firstDay() {
    return firstDay;
  }

  /** The latest day with a record, or {@link Integer#MIN_VALUE} when empty. */
  public int lastDay() {
    return lastDay;
  }

  public LocalDate lastDate() {
    return LocalDate.ofEpochDay(lastDay);
  }

  public LocalDate firstDate() {
    return LocalDate.ofEpochDay(firstDay);
  }

  /**
   * A content hash of the log (customers, days, amounts to the cent, items, lines, facts) that does not depend on the
   * order in which the transactions arrived: the same data gives the same fingerprint from a file or from the store.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Sum of net amounts of all records: a check figure. */
  public double netTotal() {
    double s = 0;
    for (int r = 0; r < day.length; r++) {
      s += gross[r] - returned[r];
    }
    return s;
  }

  private String computeFingerprint() {
    long sum = 0;
    long xor = 0;
    for (int c = 0; c < ids.length; c++) {
      long h = 0x9E3779B97F4A7C15L ^ ids[c].hashCode() * 0xC2B2AE3D27D4EB4FL;
      h = mix(h ^ ids[c].length());
      for (int r = start[c]; r < start[c + 1]; r++) {
        h = mix(h ^ day[r]);
        h = mix(h ^ Math.round(gross[r] * 100));
        h = mix(h ^ Math.round(returned[r] * 100));
        h = mix(h ^ Math.round(items[r] * 1000));
        h = mix(h ^ lines[r]);
      }
      CustomerFacts f = facts[c];
      if (f != null) {
        h = mix(h ^ f.hashCode());
      }
      String country = countries[c];
      if (country != null) {
        h = mix(h ^ country.hashCode());
      }
      sum += h;
      xor ^= mix(h);
    }
    return HexFormat.of().toHexDigits(sum) + HexFormat.of().toHexDigits(xor) + "-" + ids.length + "-" + day.length;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Collects transactions, then aggregates them per customer and day. The log comes out in the order of the lines'
   * keys, whatever order they were added in: customers in the order of their first line, lines of a day in key order
   * (the order their amounts are summed in), and the country of the last line. Lines added without a key are keyed by
   * the order they were added in. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Integer> customers = new HashMap<>();
    private String[] ids = new String[1024];
    private String[] countries = new String[1024];
    private int[] countryDay = new int[1024];
    private long[] countryKey = new long[1024];
    private long[] firstKey = new long[1024];
    private final Map<String, CustomerFacts> facts = new HashMap<>();
    private final Map<String, Integer> products = new HashMap<>();
    private int[] evCustomer = new int[4096];
    private int[] evDay = new int[4096];
    private int[] evProduct = new int[4096];
    private double[] evAmount = new double[4096];
    private double[] evQuantity = new double[4096];
    private long[] evKey = new long[4096];
    private int events;
    private boolean keysInOrder = true;

    /** Adds one accepted transaction line. */
    public Builder add(Transaction t) {
      return add(
          t.customerId(),
          (int) t.timestamp().toLocalDate().toEpochDay(),
          t.amount().doubleValue(),
          t.quantity().doubleValue(),
          t.productId(),
          t.country());
    }

    /**
     * Adds one line: a purchase when {@code amount > 0}, a return when negative.
     *
     * @param day epoch day
     * @param productId may be null
     * @param country may be null
     */
    public Builder add(String customerId, int day, double amount, double quantity, String productId, String country) {
      return add(events, customerId, day, amount, quantity, productId, country);
    }

    /**
     * Adds one line with its key (the store's {@code row_key}: time first), which orders it among the others; keys are
     * distinct. Lines may come in any order.
     */
    public Builder add(
        long key, String customerId, int day, double amount, double quantity, String productId, String country) {
      Integer boxed = customers.get(customerId);
      int c;
      if (boxed == null) {
        c = newCustomer(customerId);
        firstKey[c] = key;
      } else {
        c = boxed;
        if (key < firstKey[c]) {
          firstKey[c] = key;
        }
      }
      if (country != null && (day > countryDay[c] || day == countryDay[c] && key >= countryKey[c])) {
        countries[c] = country;
        countryDay[c] = day;
        countryKey[c] = key;
      }
      if (events > 0 && key <= evKey[events - 1]) {
        keysInOrder = false;
      }
      int p = -1;
      if (productId != null) {
        Integer id = products.get(productId);
        if (id == null) {
          id = products.size();
          products.put(productId, id);
        }
        p = id;
      }
      if (events == evDay.length) {
        int n = events * 2;
        evCustomer = Arrays.copyOf(evCustomer, n);
        evDay = Arrays.copyOf(evDay, n);
        evProduct = Arrays.copyOf(evProduct, n);
        evAmount = Arrays.copyOf(evAmount, n);
        evQuantity = Arrays.copyOf(evQuantity, n);
        evKey = Arrays.copyOf(evKey, n);
      }
      evCustomer[events] = c;
      evDay[events] = day;
      evProduct[events] = p;
      evAmount[events] = amount;
      evQuantity[events] = quantity;
      evKey[events] = key;
      events++;
      return this;
    }

    /** Adds a customer's facts; a customer with facts but no transaction is kept, with no days. */
    public Builder facts(CustomerFacts f) {
      facts.put(f.customerId(), f);
      if (!customers.containsKey(f.customerId())) {
        // after every customer with lines, in the order the facts come (newCustomer may grow the arrays: call first)
        int c = newCustomer(f.customerId());
        firstKey[c] = Long.MAX_VALUE;
      }
      return this;
    }

    private int newCustomer(String customerId) {
      int c = customers.size();
      customers.put(customerId, c);
      if (c == ids.length) {
        ids = Arrays.copyOf(ids, c * 2);
        countries = Arrays.copyOf(countries, c * 2);
        countryDay = Arrays.copyOf(countryDay, c * 2);
        countryKey = Arrays.copyOf(countryKey, c * 2);
        firstKey = Arrays.copyOf(firstKey, c * 2);
      }
      ids[c] = customerId;
      countryDay[c] = Integer.MIN_VALUE;
      countryKey[c] = Long.MIN_VALUE;
      return c;
    }

    /** Lines added so far. */
    public int lines() {
      return events;
    }

    public CustomerLog build() {
      int n = customers.size();
      // the customers' places: in the order of their first line's key (the order added, when lines came in key order)
      int[] place = new int[n];
      String[] placedIds = new String[n];
      String[] placedCountries = new String[n];
      if (keysInOrder) {
        for (int c = 0; c < n; c++) {
          place[c] = c;
        }
      } else {
        Integer[] byFirst = new Integer[n];
        for (int c = 0; c < n; c++) {
          byFirst[c] = c;
        }
        Arrays.sort(byFirst, (a, b) -> a.equals(b) ? 0
            : firstKey[a] != firstKey[b] ? Long.compare(firstKey[a], firstKey[b]) : Integer.compare(a, b));
        for (int i = 0; i < n; i++) {
          place[byFirst[i]] = i;
        }
      }
      for (int c = 0; c < n; c++) {
        placedIds[place[c]] = ids[c];
        placedCountries[place[c]] = countries[c];
      }
      // Counting sort of the events by customer, then by day and key within the customer.
      int[] count = new int[n + 1];
      for (int e = 0; e < events; e++) {
        count[place[evCustomer[e]] + 1]++;
      }
      for (int c = 0; c < n; c++) {
        count[c + 1] += count[c];
      }
      int[] order = new int[events];
      int[] fill = Arrays.copyOf(count, n);
      for (int e = 0; e < events; e++) {
        order[fill[place[evCustomer[e]]]++] = e;
      }
      int[] start = new int[n + 1];
      int cap = Math.max(16, events);
      int[] day = new int[cap];
      double[] gross = new double[cap];
      double[] returned = new double[cap];
      double[] items = new double[cap];
      int[] lines = new int[cap];
      int[] fresh = new int[cap];
      int r = 0;
      long[] keys = new long[16];
      Set<Integer> seen = new HashSet<>();
      for (int c = 0; c < n; c++) {
        start[c] = r;
        int a = count[c];
        int b = count[c + 1];
        int m = b - a;
        if (m == 0) {
          continue;
        }
        if (keys.length < m) {
          keys = new long[Math.max(m, keys.length * 2)];
        }
        if (keysInOrder) {
          for (int i = 0; i < m; i++) {
            int e = order[a + i];
            keys[i] = ((long) (evDay[e] + (1 << 30)) << 32) | e; // day first; then key order, which is input order
          }
          Arrays.sort(keys, 0, m);
        } else {
          sortByDayAndKey(order, a, m, keys);
        }
        seen.clear();
        int current = Integer.MIN_VALUE;
        for (int i = 0; i < m; i++) {
          int e = (int) keys[i];
          int d = evDay[e];
          if (d != current) {
            current = d;
            day[r] = d;
            r++;
          }
          int k = r - 1;
          double amount = evAmount[e];
          if (amount > 0) {
            gross[k] += amount;
            items[k] += Math.max(0, evQuantity[e]);
            lines[k]++;
            if (evProduct[e] >= 0 && seen.add(evProduct[e])) {
              fresh[k]++;
            }
          } else {
            returned[k] -= amount;
          }
        }
      }
      start[n] = r;
      CustomerFacts[] f = new CustomerFacts[n];
      for (int c = 0; c < n; c++) {
        f[c] = facts.get(placedIds[c]);
      }
      return new CustomerLog(
          placedIds,
          placedCountries,
          f,
          start,
          Arrays.copyOf(day, r),
          Arrays.copyOf(gross, r),
          Arrays.copyOf(returned, r),
          Arrays.copyOf(items, r),
          Arrays.copyOf(lines, r),
          Arrays.copyOf(fresh, r));
    }
  
    /** Writes the events {@code order[a..a+m)} into {@code out[0..m)}, sorted by day, then key. */
    private void sortByDayAndKey(int[] order, int a, int m, long[] out) {
      Integer[] idx = new Integer[m];
      for (int i = 0; i < m; i++) {
        idx[i] = order[a + i];
      }
      Arrays.sort(idx, (x, y) -> evDay[x] != evDay[y] ? Integer.compare(evDay[x], evDay[y])
          : Long.compare(evKey[x], evKey[y]));
      for (int i = 0; i < m; i++) {
        out[i] = idx[i];
      }
    }
}
}
