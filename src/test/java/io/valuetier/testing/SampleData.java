package io.valuetier.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Smaller, deterministic slices of the bundled sample data, so that whole-loop tests stay fast. */
public final class SampleData {
  private SampleData() {}

  public static Path onlineRetail() {
    return TestStores.home().resolve("data/sample/online_retail.csv.gz");
  }

  public static Path onlineRetailCustomers() {
    return TestStores.home().resolve("data/sample/online_retail_customers.csv");
  }

  /**
   * The Online Retail lines of one customer in {@code every} (by customer id), over the whole year, plus the lines
   * without a customer id of the same invoices' days are dropped: a small shop with the full calendar.
   */
  public static Path onlineRetailSlice(Path dir, int every) throws IOException {
    Path out = dir.resolve("online_retail_1_in_" + every + ".csv");
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(onlineRetail())),
                StandardCharsets.UTF_8));
        BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write(in.readLine());
      w.write('\n');
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",");
        String customer = f.length >= 2 ? f[f.length - 2] : "";
        if (!customer.isEmpty() && customer.chars().allMatch(Character::isDigit)
            && Long.parseLong(customer) % every == 0) {
          w.write(line);
          w.write('\n');
        }
      }
    }
    return out;
  }
}
