package io.valuetier.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What drift monitoring keeps of a training population, so that the training data never has to be read again: per
 * model input, the bin edges at the population's deciles (repeated values collapse, so a 0/1 flag has two bins) and
 * the share of the population in each bin. Saved as {@code drift-profile.json} beside each model's card.
 *
 * @param cutoff the day the population's features were computed (the calibration end)
 * @param customers customers in the population
 * @param features one profile per model input, in input order
 */
public record FeatureProfile(String cutoff, int customers, List<Bins> features) {
  /** The file name in a model's registry folder. */
  public static final String FILE = "drift-profile.json";

  /** Values below a floor share are raised to it, so that an empty bin does not make the index infinite. */
  private static final double FLOOR = 1e-4;

  /**
   * One input's bins: {@code edges.length + 1} bins, bin {@code i} holding values in {@code [edges[i-1], edges[i])}.
   *
   * @param name the input
   * @param edges the bin edges, increasing
   * @param shares the training population's share per bin
   */
  public record Bins(String name, double[] edges, double[] shares) {

    /** The shares of {@code values} in these bins. */
    public double[] sharesOf(double[] values) {
      double[] counts = new double[edges.length + 1];
      for (double v : values) {
        int b = Arrays.binarySearch(edges, v);
        counts[b >= 0 ? b + 1 : -b - 1]++;
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] = values.length == 0 ? 0 : counts[i] / values.length;
      }
      return counts;
    }

    /** The population stability index of {@code values} against the training shares. */
    public double psi(double[] values) {
      if (values.length == 0) {
        return Double.NaN;
      }
      return index(shares, sharesOf(values));
    }
  }

  /** {@code sum((a - e) ln(a / e))} over bins, shares floored at 1e-4. */
  public static double index(double[] expected, double[] actual) {
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(FLOOR, expected[i]);
      double a = Math.max(FLOOR, actual[i]);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** The profile of a population given as named columns, with {@code bins} quantile bins (10: deciles). */
  public static FeatureProfile of(String cutoff, Map<String, double[]> columns, int bins) {
    List<Bins> out = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, double[]> e : columns.entrySet()) {
      double[] sorted = e.getValue().clone();
      n = sorted.length;
      Arrays.sort(sorted);
      TreeSet<Double> edgeSet = new TreeSet<>();
      for (int i = 1; i < bins && sorted.length > 0; i++) {
        edgeSet.add(sorted[(int) Math.min(sorted.length - 1, Math.floor((double) i * sorted.length / bins))]);
      }
      // the smallest value opens the first bin, so a bin below every training value exists for new lows
      if (sorted.length > 0) {
        edgeSet.add(sorted[0]);
      }
      double[] edges = edgeSet.stream().mapToDouble(Double::doubleValue).toArray();
      Bins b = new Bins(e.getKey(), edges, new double[edges.length + 1]);
      out.add(new Bins(e.getKey(), edges, b.sharesOf(e.getValue())));
    }
    return new FeatureProfile(cutoff, n, List.copyOf(out));
  }

  /** PSI of every input present in both the profile and {@code columns}, in profile order. */
  public Map<String, Double> psi(Map<String, double[]> columns) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Bins b : features) {
      double[] v = columns.get(b.name());
      if (v != null) {
        out.put(b.name(), b.psi(v));
      }
    }
    return out;
  }

  /** Writes the profile to {@code folder/drift-profile.json} (written elsewhere first, then moved). */
  public void save(Path folder) {
    try {
      Path tmp = Files.createTempFile(folder, ".drift-profile-", ".json");
      Files.writeString(tmp, Json.pretty(this));
      try {
        Files.move(tmp, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drift profile in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The profile saved in {@code folder}, if any (models registered before monitoring existed have none). */
  public static Optional<FeatureProfile> load(Path folder) {
    Path file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(file.toFile());
      List<Bins> bins = new ArrayList<>();
      for (JsonNode f : n.path("features")) {
        bins.add(new Bins(f.path("name").asText(), doubles(f.path("edges")), doubles(f.path("shares"))));
      }
      return Optional.of(new FeatureProfile(n.path("cutoff").asText(), n.path("customers").asInt(), List.copyOf(bins)));
    } catch (IOException e) {
      throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static double[] doubles(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asDouble();
    }
    return v;
  }
}
