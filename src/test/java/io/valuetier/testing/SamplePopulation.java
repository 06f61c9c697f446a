package io.valuetier.testing;

import io.valuetier.decide.DecisionInput;
import io.valuetier.decide.DecisionInputs;
import io.valuetier.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The decision inputs of the bundled sample's population (every customer of {@code data/sample/online_retail.csv.gz}
 * as {@code ./valuetier run} scores them, with the facts of {@code online_retail_customers.csv}), committed as
 * {@value #FILE}, so that a test can decide the whole population in a second instead of training for half a minute.
 * Rewrite it only when scoring changes on purpose: {@code ./valuetier run}, then
 * {@code main(new String[] {"jdbc:h2:file:data/valuetier;MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE"})}
 * with the test class path.
 */
public final class SamplePopulation {
  public static final String FILE = "src/test/resources/dmn-roundtrip/online-retail-population.csv.gz";
  private static final String HEADER = "customer_id,predicted_spend,value_percentile,probability_active,cold_start,"
      + "model_id,model_version,tenure_days,returns_ratio,marketing_consent,loyalty_member,open_complaints,"
      + "fraud_flag,country,segment";

  private SamplePopulation() {}

  /** The committed population, in customer order. */
  public static List<DecisionInput> read() throws IOException {
    Path file = TestStores.home().resolve(FILE);
    List<DecisionInput> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (!HEADER.equals(header)) {
        throw new IOException(file + ": line 1 is not the header " + HEADER);
      }
      String line;
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        String[] f = line.split(",", -1);
        if (f.length != 15) {
          throw new IOException(file + ": line " + n + " has " + f.length + " fields, not 15");
        }
        out.add(new DecisionInput(f[0], number(f[1]), number(f[2]), number(f[3]), Boolean.parseBoolean(f[4]),
            text(f[5]), text(f[6]), number(f[7]), number(f[8]), bool(f[9]), bool(f[10]), number(f[11]), bool(f[12]),
            text(f[13]), text(f[14]), 0));
      }
    }
    return out;
  }

  /** Writes the scored population of the store at {@code args[0]} (user root, no password) to {@value #FILE}. */
  public static void main(String[] args) throws IOException {
    List<DecisionInput> inputs = new ArrayList<>();
    try (Store store = Store.open(args[0], "root", "", 2)) {
      new DecisionInputs(store).readInputs(Map.of(), inputs::add);
    }
    inputs.sort(Comparator.comparing(DecisionInput::customerId));
    Path file = TestStores.home().resolve(FILE);
    Files.createDirectories(file.getParent());
    try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
      w.write(HEADER + "\n");
      for (DecisionInput in : inputs) {
        List<Object> f = Arrays.asList(in.customerId(), in.predictedSpend(), in.valuePercentile(),
            in.probabilityActive(), in.coldStart(), in.modelId(), in.modelVersion(), in.tenureDays(),
            in.returnsRatio(), in.marketingConsent(), in.loyaltyMember(), in.openComplaints(), in.fraudFlag(),
            in.country(), in.segment());
        java.util.StringJoiner sb = new java.util.StringJoiner(",");
        for (Object o : f) {
          String s = o == null ? "" : o instanceof BigDecimal b ? b.toPlainString() : o.toString();
          if (s.contains(",") || s.contains("\n")) {
            throw new IllegalStateException(in.customerId() + ": the value '" + s + "' cannot be written unquoted");
          }
          sb.add(s);
        }
        w.write(sb + "\n");
      }
    }
    System.out.println("wrote " + inputs.size() + " customers to " + file);
  }

  private static BigDecimal number(String s) {
    return s.isEmpty() ? null : new BigDecimal(s);
  }

  private static Boolean bool(String s) {
    return s.isEmpty() ? null : Boolean.valueOf(s);
  }

  private static String text(String s) {
    return s.isEmpty() ? null : s;
  }
}
