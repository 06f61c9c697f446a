package io.valuetier.feedback;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * The population stability index (PSI) between an expected (training) and an actual (scoring) distribution:
 * {@code sum((a - e) * ln(a / e))} over bins. By common practice, below 0.1 is stable, 0.1 to 0.25 a moderate shift,
 * above 0.25 a major shift; the warning threshold is a setting. Empty bins get a small floor so that the index stays
 * finite.
 */
public final class PopulationStability {
  private static final double FLOOR = 1e-4;

  private PopulationStability() {}

  /** PSI of a numeric variable, with bin edges at the expected sample's deciles. */
  public static double numeric(double[] expected, double[] actual, int bins) {
    if (expected.length == 0 || actual.length == 0) {
      return Double.NaN;
    }
    double[] sorted = expected.clone();
    Arrays.sort(sorted);
    TreeSet<Double> edgeSet = new TreeSet<>();
    for (int i = 1; i < bins; i++) {
      edgeSet.add(sorted[(int) Math.min(sorted.length - 1, Math.floor((double) i * sorted.length / bins))]);
    }
    double[] edges = edgeSet.stream().mapToDouble(Double::doubleValue).toArray();
    double[] e = shares(expected, edges);
    double[] a = shares(actual, edges);
    return index(e, a);
  }

  /** PSI of a categorical variable from counts per category (such as customers per tier). */
  public static double categorical(Map<String, Long> expected, Map<String, Long> actual) {
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    double te = expected.values().stream().mapToLong(Long::longValue).sum();
    double ta = actual.values().stream().mapToLong(Long::longValue).sum();
    if (te == 0 || ta == 0) {
      return Double.NaN;
    }
    double[] e = new double[keys.size()];
    double[] a = new double[keys.size()];
    int i = 0;
    for (String k : keys) {
      e[i] = expected.getOrDefault(k, 0L) / te;
      a[i] = actual.getOrDefault(k, 0L) / ta;
      i++;
    }
    return index(e, a);
  }

  private static double[] shares(double[] values, double[] edges) {
    double[] counts = new double[edges.length + 1];
    for (double v : values) {
      int b = Arrays.binarySearch(edges, v);
      int bin = b >= 0 ? b + 1 : -b - 1;
      counts[bin]++;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] /= values.length;
    }
    return counts;
  }

  private static double index(double[] e, double[] a) {
    double psi = 0;
    for (int i = 0; i < e.length; i++) {
      double ei = Math.max(FLOOR, e[i]);
      double ai = Math.max(FLOOR, a[i]);
      psi += (ai - ei) * Math.log(ai / ei);
    }
    return psi;
  }
}
