package io.valuetier.model.btyd;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Minimises a smooth function of a few variables without derivatives (Nelder and Mead, with the adaptive coefficients
 * of Gao and Han 2012), restarting from the best point until a restart no longer improves it (at most six runs): enough for the 3 or 4
 * log-parameters of a BTYD likelihood.
 */
final class NelderMead {
  private NelderMead() {}

  /** The minimiser of {@code f} from {@code start}; non-finite values count as +infinity. */
  static double[] minimize(ToDoubleFunction<double[]> f, double[] start, double step, double tolerance, int maxIterations) {
    double[] best = start.clone();
    double bestValue = safe(f, best);
    for (int restart = 0; restart < 6; restart++) {
      double[] x = run(f, best, step, tolerance, maxIterations);
      double v = safe(f, x);
      boolean improved = v < bestValue - tolerance * (Math.abs(bestValue) + tolerance);
      if (v < bestValue) {
        best = x;
        bestValue = v;
      }
      if (!improved && restart > 0) {
        break;
      }
    }
    return best;
  }

  private static double safe(ToDoubleFunction<double[]> f, double[] x) {
    double v = f.applyAsDouble(x);
    return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
  }

  private static double[] run(ToDoubleFunction<double[]> f, double[] start, double step, double tol, int maxIter) {
    int n = start.length;
    double alpha = 1;
    double beta = 1 + 2.0 / n;
    double gamma = 0.75 - 1 / (2.0 * n);
    double delta = 1 - 1.0 / n;
    double[][] p = new double[n + 1][];
    double[] v = new double[n + 1];
    p[0] = start.clone();
    v[0] = safe(f, p[0]);
    for (int i = 0; i < n; i++) {
      p[i + 1] = start.clone();
      p[i + 1][i] += step;
      v[i + 1] = safe(f, p[i + 1]);
    }
    Integer[] idx = new Integer[n + 1];
    double[] centroid = new double[n];
    double[] xr = new double[n];
    double[] xe = new double[n];
    double[] xc = new double[n];
    for (int iter = 0; iter < maxIter; iter++) {
      for (int i = 0; i <= n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (i, j) -> Double.compare(v[i], v[j]));
      double[][] ps = new double[n + 1][];
      double[] vs = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        ps[i] = p[idx[i]];
        vs[i] = v[idx[i]];
      }
      System.arraycopy(ps, 0, p, 0, n + 1);
      System.arraycopy(vs, 0, v, 0, n + 1);
      double spread = Math.abs(v[n] - v[0]);
      double size = 0;
      for (int i = 1; i <= n; i++) {
        for (int j = 0; j < n; j++) {
          size = Math.max(size, Math.abs(p[i][j] - p[0][j]));
        }
      }
      if (spread <= tol * (Math.abs(v[0]) + tol) && size <= Math.sqrt(tol)) {
        break;
      }
      Arrays.fill(centroid, 0);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          centroid[j] += p[i][j] / n;
        }
      }
      for (int j = 0; j < n; j++) {
        xr[j] = centroid[j] + alpha * (centroid[j] - p[n][j]);
      }
      double fr = safe(f, xr);
      if (fr < v[0]) {
        for (int j = 0; j < n; j++) {
          xe[j] = centroid[j] + beta * (xr[j] - centroid[j]);
        }
        double fe = safe(f, xe);
        if (fe < fr) {
          p[n] = xe.clone();
          v[n] = fe;
        } else {
          p[n] = xr.clone();
          v[n] = fr;
        }
        continue;
      }
      if (fr < v[n - 1]) {
        p[n] = xr.clone();
        v[n] = fr;
        continue;
      }
      boolean outside = fr < v[n];
      for (int j = 0; j < n; j++) {
        xc[j] = outside ? centroid[j] + gamma * (xr[j] - centroid[j]) : centroid[j] - gamma * (centroid[j] - p[n][j]);
      }
      double fc = safe(f, xc);
      if (fc < (outside ? fr : v[n])) {
        p[n] = xc.clone();
        v[n] = fc;
        continue;
      }
      for (int i = 1; i <= n; i++) {
        for (int j = 0; j < n; j++) {
          p[i][j] = p[0][j] + delta * (p[i][j] - p[0][j]);
        }
        v[i] = safe(f, p[i]);
      }
    }
    int bestIndex = 0;
    for (int i = 1; i <= n; i++) {
      if (v[i] < v[bestIndex]) {
        bestIndex = i;
      }
    }
    return p[bestIndex].clone();
  }
}
