package io.valuetier.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded synthetic shop written as a file in the UCI Online Retail layout ({@code InvoiceNo, StockCode,
 * Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country}), for benchmarks of the whole job at any size.
 * Customers follow the same story as {@link SyntheticShop} (Poisson purchasing while alive, Gamma-Gamma spend, so a
 * long tail of spend and many one-off buyers), over the year of the real file (2010-12-01 to 2011-12-09):
 *
 * <ul>
 *   <li>each purchase day is one invoice of 1 to 4 lines, products drawn with a Zipf-like popularity from 2,000;
 *   <li>one invoice in 25 is returned in part as a {@code C}-invoice with negative quantities 3 to 30 days later;
 *   <li>one invoice in 5 has no customer id (as in the real file: such rows cannot be kept);
 *   <li>one line in {@value #BAD_EVERY} is unreadable (a quantity that is not a number), to be rejected with a reason.
 * </ul>
 *
 * Lines are written customer after customer, not in date order. The same seed and size give the same file.
 */
public final class OnlineRetailShop {
  /** One line in this many is unreadable. */
  public static final int BAD_EVERY = 10_000;

  static final LocalDate START = LocalDate.of(2010, 12, 1);
  static final int DAYS = 374;

  /** What was written. */
  public record Written(long rows, long badRows, long rowsWithoutCustomer, long returnRows, int customers) {}

  private OnlineRetailShop() {}

  /** Writes {@code customers} customers to {@code file} (gzip-compressed when the name ends in {@code .gz}). */
  public static Written write(Path file, int customers, long seed) throws IOException {
    var out = Files.newOutputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      out = new GZIPOutputStream(out, 1 << 16);
    }
    try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
      return write(w, customers, seed);
    }
  }

  static Written write(Writer w, int customers, long seed) throws IOException {
    w.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
    SplittableRandom root = new SplittableRandom(seed);
    double[] price = new double[2000];
    SplittableRandom pr = root.split();
    for (int p = 0; p < price.length; p++) {
      price[p] = Math.round(100 * (0.3 + SyntheticShop.gamma(pr, 1.5, 2.5))) / 100.0;
    }
    int first = (int) START.toEpochDay();
    int end = first + DAYS - 1;
    long invoice = 536_365;
    long rows = 0;
    long bad = 0;
    long anonymous = 0;
    long returns = 0;
    StringBuilder line = new StringBuilder(128);
    for (int i = 0; i < customers; i++) {
      SplittableRandom r = root.split();
      String id = Integer.toString(12_346 + i);
      String country = r.nextInt(10) == 0 ? "Abroad" + r.nextInt(20) : "United Kingdom";
      int arrival = first + r.nextInt(DAYS - 30);
      double lambda = SyntheticShop.gamma(r, 0.6, 1.0 / 40 / 0.6);
      double mu = SyntheticShop.gamma(r, 0.8, 1.0 / 300 / 0.8);
      double death = arrival + SyntheticShop.exponential(r, mu);
      double nu = SyntheticShop.gamma(r, 3, 1.0 / 3); // the customer's spend level: quantities scale with it
      double t = arrival;
      int lastDay = Integer.MIN_VALUE;
      while (t <= end && t < death) {
        int day = (int) t;
        if (day != lastDay) {
          lastDay = day;
          boolean known = r.nextInt(5) != 0;
          String customer = known ? id : "";
          String at = LocalDate.ofEpochDay(day) + String.format(Locale.ROOT, " %02d:%02d:00", 8 + r.nextInt(10), r.nextInt(60));
          long no = invoice++;
          int lines = 1 + r.nextInt(4);
          int[] products = new int[lines];
          int[] quantities = new int[lines];
          for (int l = 0; l < lines; l++) {
            products[l] = SyntheticShop.zipf(r, price.length);
            quantities[l] = Math.max(1, (int) Math.round(SyntheticShop.gamma(r, 2, 3 * nu)));
            rows++;
            if (rows % BAD_EVERY == 0) {
              bad++;
              row(w, line, Long.toString(no), products[l], "many", at, price[products[l]], customer, country);
            } else {
              row(w, line, Long.toString(no), products[l], Integer.toString(quantities[l]), at, price[products[l]],
                  customer, country);
            }
            if (!known) {
              anonymous++;
            }
          }
          if (r.nextInt(25) == 0) {
            int back = day + 3 + r.nextInt(28);
            if (back <= end) {
              String backAt = LocalDate.ofEpochDay(back) + " 12:00:00";
              String cno = "C" + invoice++;
              int l = r.nextInt(lines);
              int q = Math.max(1, (int) Math.round(quantities[l] * (0.2 + 0.8 * r.nextDouble())));
              row(w, line, cno, products[l], Integer.toString(-q), backAt, price[products[l]], customer, country);
              rows++;
              returns++;
              if (!known) {
                anonymous++;
              }
            }
          }
        }
        t += SyntheticShop.exponential(r, lambda);
      }
    }
    return new Written(rows, bad, anonymous, returns, customers);
  }

  private static void row(Writer w, StringBuilder line, String invoice, int product, String quantity, String at,
      double unitPrice, String customer, String country) throws IOException {
    line.setLength(0);
    line.append(invoice).append(",P").append(product).append(",PRODUCT ").append(product).append(',')
        .append(quantity).append(',').append(at).append(',')
        .append(String.format(Locale.ROOT, "%.2f", unitPrice)).append(',').append(customer).append(',')
        .append(country).append('\n');
    w.write(line.toString());
  }
}
