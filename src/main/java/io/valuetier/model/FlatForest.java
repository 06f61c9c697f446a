package io.valuetier.model;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import smile.model.cart.InternalNode;
import smile.model.cart.Node;
import smile.model.cart.OrdinalNode;
import smile.model.cart.RegressionNode;
import smile.regression.RegressionTree;

/**
 * The trees of a Smile gradient boosting model copied into flat arrays: the same predictions without building a
 * Smile {@code Tuple} per customer (about ten times faster), and exact TreeSHAP values (Lundberg, Erion and Lee 2018,
 * algorithm 2), tabulated per tree so that a customer's values cost about a microsecond.
 *
 * <p>A node {@code n} is a leaf when {@code feature[n] < 0}; otherwise a customer goes to {@code left[n]} when
 * {@code x[feature[n]] <= threshold[n]} (as Smile's ordinal split does, NaN going right) and to {@code right[n]}
 * otherwise. Leaf values already include the shrinkage. {@code cover[n]} is the number of training rows that reached
 * the node.
 *
 * <p>One job: the boosted trees as flat arrays, predicting and explaining from them; the TreeSHAP path algebra and the
 * per-tree tables built from it stay beside the arrays they walk.
 */
public final class FlatForest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double intercept;
  private final int[] roots;
  private final int[] feature;
  private final double[] threshold;
  private final int[] left;
  private final int[] right;
  private final double[] value;
  private final double[] cover;
  private final int maxDepth;
  private final double expectedValue;

  private FlatForest(
      double intercept, int[] roots, int[] feature, double[] threshold, int[] left, int[] right, double[] value,
      double[] cover, int maxDepth) {
    this.intercept = intercept;
    this.roots = roots;
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
    this.value = value;
    this.cover = cover;
    this.maxDepth = maxDepth;
    double e = intercept;
    for (int root : roots) {
      e += expected(root);
    }
    this.expectedValue = e;
  }

  /**
   * Copies {@code trees}; the forest's output is {@code intercept + shrinkage * sum of tree outputs}.
   *
   * @throws IllegalStateException when a tree has a split this class does not know (only ordinal splits are used)
   */
  public static FlatForest of(RegressionTree[] trees, double shrinkage, double intercept) {
    return of(trees, shrinkage, intercept, null);
  }

  /**
   * Copies {@code trees} fitted on a selection of the input columns: split feature {@code j} of the trees is input
   * column {@code columns[j]} (null: the same).
   */
  public static FlatForest of(RegressionTree[] trees, double shrinkage, double intercept, int[] columns) {
    Builder b = new Builder(columns);
    int[] roots = new int[trees.length];
    int depth = 0;
    for (int t = 0; t < trees.length; t++) {
      roots[t] = b.add(trees[t].root(), shrinkage);
      depth = Math.max(depth, trees[t].root().depth());
    }
    return new FlatForest(
        intercept,
        roots,
        b.feature.stream().mapToInt(Integer::intValue).toArray(),
        b.threshold.stream().mapToDouble(Double::doubleValue).toArray(),
        b.left.stream().mapToInt(Integer::intValue).toArray(),
        b.right.stream().mapToInt(Integer::intValue).toArray(),
        b.value.stream().mapToDouble(Double::doubleValue).toArray(),
        b.cover.stream().mapToDouble(Double::doubleValue).toArray(),
        depth);
  }

  private static final class Builder {
    private static final Field ORDINAL_VALUE;

    static {
      try {
        ORDINAL_VALUE = OrdinalNode.class.getDeclaredField("value");
        ORDINAL_VALUE.setAccessible(true);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(
            "this Smile version has no OrdinalNode.value: the tree copy must be adapted (" + e + ")");
      }
    }

    final int[] columns;
    final List<Integer> feature = new ArrayList<>();
    final List<Double> threshold = new ArrayList<>();
    final List<Integer> left = new ArrayList<>();
    final List<Integer> right = new ArrayList<>();
    final List<Double> value = new ArrayList<>();
    final List<Double> cover = new ArrayList<>();

    Builder(int[] columns) {
      this.columns = columns;
    }

    /** Adds the subtree and returns its index; covers of internal nodes are the sums of their children's. */
    int add(Node node, double shrinkage) {
      int id = feature.size();
      feature.add(-1);
      threshold.add(0.0);
      left.add(-1);
      right.add(-1);
      value.add(0.0);
      cover.add(0.0);
      switch (node) {
        case RegressionNode leaf -> {
          value.set(id, leaf.output() * shrinkage);
          cover.set(id, (double) Math.max(leaf.size(), 1));
        }
        case OrdinalNode split -> {
          double thr;
          try {
            thr = ORDINAL_VALUE.getDouble(split);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read a split threshold of the Smile tree", e);
          }
          feature.set(id, columns == null ? split.feature() : columns[split.feature()]);
          threshold.set(id, thr);
          int l = add(split.trueChild(), shrinkage);
          int r = add(split.falseChild(), shrinkage);
          left.set(id, l);
          right.set(id, r);
          cover.set(id, cover.get(l) + cover.get(r));
        }
        case InternalNode other ->
            throw new IllegalStateException("unsupported split " + other.getClass().getSimpleName() + " in a tree");
        default -> throw new IllegalStateException("unsupported tree node " + node.getClass().getName());
      }
      return id;
    }
  }

  private double expected(int node) {
    if (feature[node] < 0) {
      return value[node];
    }
    return (cover[left[node]] * expected(left[node]) + cover[right[node]] * expected(right[node])) / cover[node];
  }

  /** The forest's raw output for one feature vector. */
  public double predict(double[] x) {
    double y = intercept;
    for (int root : roots) {
      int n = root;
      while (feature[n] >= 0) {
        n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
      }
      y += value[n];
    }
    return y;
  }

  /** The mean output over the training rows: what SHAP values are relative to. */
  public double expectedValue() {
    return expectedValue;
  }

  public int trees() {
    return roots.length;
  }

  public int nodes() {
    return feature.length;
  }

  /**
   * The SHAP value of each feature for {@code x}: {@code expectedValue() + sum(phi) == predict(x)}. Exact: a tree's
   * SHAP values depend on {@code x} only through the side {@code x} takes at each of the tree's splits, so for trees
   * of at most {@value #TABLE_SPLITS} splits the values of every combination of sides are worked out once per forest
   * with TreeSHAP ({@link #shapByPath}) and looked up: a few comparisons and additions per tree instead of the
   * path algebra. Larger trees are computed with TreeSHAP as before.
   *
   * @param width the number of features
   */
  public double[] shap(double[] x, int width) {
    double[] phi = new double[width];
    ShapTables tb = tables();
    boolean[] goesLeft = null;
    Path path = null;
    for (int t = 0; t < roots.length; t++) {
      double[] values = tb.values[t];
      if (values == null) {
        if (path == null) {
          goesLeft = new boolean[feature.length];
          path = new Path((maxDepth + 3) * (maxDepth + 4) / 2);
        }
        treeShap(x, phi, t, goesLeft, path);
        continue;
      }
      int[] splits = tb.splits[t];
      int pattern = 0;
      for (int k = 0; k < splits.length; k++) {
        int n = splits[k];
        if (x[feature[n]] <= threshold[n]) {
          pattern |= 1 << k;
        }
      }
      int[] features = tb.features[t];
      int base = pattern * features.length;
      for (int j = 0; j < features.length; j++) {
        phi[features[j]] += values[base + j];
      }
    }
    return phi;
  }

  /** The SHAP values by TreeSHAP's path algebra on every tree (Lundberg et al., algorithm 2): what the tables hold. */
  double[] shapByPath(double[] x, int width) {
    double[] phi = new double[width];
    boolean[] goesLeft = new boolean[feature.length];
    Path path = new Path((maxDepth + 3) * (maxDepth + 4) / 2);
    for (int t = 0; t < roots.length; t++) {
      treeShap(x, phi, t, goesLeft, path);
    }
    return phi;
  }

  private int end(int tree) {
    return tree + 1 < roots.length ? roots[tree + 1] : feature.length;
  }

  /** Adds tree {@code t}'s SHAP values for {@code x} to {@code phi} (the tree's nodes are contiguous from its root). */
  private void treeShap(double[] x, double[] phi, int t, boolean[] goesLeft, Path path) {
    for (int n = roots[t]; n < end(t); n++) {
      goesLeft[n] = feature[n] >= 0 && x[feature[n]] <= threshold[n];
    }
    recurse(goesLeft, phi, roots[t], 0, 0, path, 1, 1, -1);
  }

  /** Trees with at most this many splits get a table of SHAP values (2^splits rows). */
  static final int TABLE_SPLITS = 10;

  private transient volatile ShapTables tables;

  private ShapTables tables() {
    ShapTables tb = tables;
    if (tb == null) {
      tb = new ShapTables(this);
      tables = tb; // built at most a few times if threads race: each build is the same
    }
    return tb;
  }

  /**
   * Per tree: its splits in node order (bit k of a pattern: the customer goes left at {@code splits[t][k]}), the
   * features those splits read, and the SHAP value of each of those features for every pattern
   * ({@code values[t][pattern * features.length + j]}); null values for a tree too large to tabulate.
   */
  private static final class ShapTables {
    final int[][] splits;
    final int[][] features;
    final double[][] values;

    ShapTables(FlatForest f) {
      int trees = f.roots.length;
      splits = new int[trees][];
      features = new int[trees][];
      values = new double[trees][];
      int width = 1;
      for (int n : f.feature) {
        width = Math.max(width, n + 1);
      }
      double[] phi = new double[width];
      boolean[] goesLeft = new boolean[f.feature.length];
      Path path = new Path((f.maxDepth + 3) * (f.maxDepth + 4) / 2);
      for (int t = 0; t < trees; t++) {
        splits[t] =
            IntStream.range(f.roots[t], f.end(t)).filter(n -> f.feature[n] >= 0).toArray();
        features[t] = Arrays.stream(splits[t]).map(n -> f.feature[n]).distinct().sorted().toArray();
        if (splits[t].length > TABLE_SPLITS) {
          continue;
        }
        int nf = features[t].length;
        double[] v = new double[(1 << splits[t].length) * Math.max(1, nf)];
        for (int pattern = 0; pattern < 1 << splits[t].length; pattern++) {
          for (int k = 0; k < splits[t].length; k++) {
            goesLeft[splits[t][k]] = (pattern & (1 << k)) != 0;
          }
          f.recurse(goesLeft, phi, f.roots[t], 0, 0, path, 1, 1, -1);
          for (int j = 0; j < nf; j++) {
            v[pattern * nf + j] = phi[features[t][j]];
            phi[features[t][j]] = 0;
          }
        }
        values[t] = v;
      }
    }
  }

  /** The unique path of TreeSHAP: parallel arrays, each recursion level owns a slice after its parent's. */
  private static final class Path {
    final int[] feature;
    final double[] zero;
    final double[] one;
    final double[] weight;

    Path(int n) {
      feature = new int[n];
      zero = new double[n];
      one = new double[n];
      weight = new double[n];
    }
  }

  private void recurse(
      boolean[] goesLeftAt, double[] phi, int node, int depth, int parentStart, Path p, double parentZero, double parentOne,
      int parentFeature) {
    // Copy the parent's path (depth elements) into this level's slice, then extend it.
    int start = parentStart + (depth == 0 ? 0 : depth);
    if (depth > 0) {
      System.arraycopy(p.feature, parentStart, p.feature, start, depth);
      System.arraycopy(p.zero, parentStart, p.zero, start, depth);
      System.arraycopy(p.one, parentStart, p.one, start, depth);
      System.arraycopy(p.weight, parentStart, p.weight, start, depth);
    }
    extend(p, start, depth, parentZero, parentOne, parentFeature);
    if (feature[node] < 0) {
      for (int i = 1; i <= depth; i++) {
        double w = unwoundSum(p, start, depth, i);
        phi[p.feature[start + i]] += w * (p.one[start + i] - p.zero[start + i]) * value[node];
      }
      return;
    }
    int split = feature[node];
    boolean goesLeft = goesLeftAt[node];
    int hot = goesLeft ? left[node] : right[node];
    int cold = goesLeft ? right[node] : left[node];
    double w = cover[node];
    double hotZero = cover[hot] / w;
    double coldZero = cover[cold] / w;
    double incomingZero = 1;
    double incomingOne = 1;
    int uniqueDepth = depth;
    int k = 0;
    while (k <= uniqueDepth && p.feature[start + k] != split) {
      k++;
    }
    if (k <= uniqueDepth) {
      incomingZero = p.zero[start + k];
      incomingOne = p.one[start + k];
      unwind(p, start, uniqueDepth, k);
      uniqueDepth--;
    }
    recurse(goesLeftAt, phi, hot, uniqueDepth + 1, start, p, hotZero * incomingZero, incomingOne, split);
    recurse(goesLeftAt, phi, cold, uniqueDepth + 1, start, p, coldZero * incomingZero, 0, split);
  }

  /** 1/k for small k: the path algebra below divides by small whole numbers in its inner loops. */
  private static final double[] INV = new double[130];

  static {
    for (int k = 1; k < INV.length; k++) {
      INV[k] = 1.0 / k;
    }
  }

  private static void extend(Path p, int s, int depth, double zero, double one, int feature) {
    p.feature[s + depth] = feature;
    p.zero[s + depth] = zero;
    p.one[s + depth] = one;
    p.weight[s + depth] = depth == 0 ? 1 : 0;
    double invD1 = INV[depth + 1];
    for (int i = depth - 1; i >= 0; i--) {
      p.weight[s + i + 1] += one * p.weight[s + i] * (i + 1) * invD1;
      p.weight[s + i] = zero * p.weight[s + i] * (depth - i) * invD1;
    }
  }

  private static void unwind(Path p, int s, int depth, int index) {
    double one = p.one[s + index];
    double zero = p.zero[s + index];
    double next = p.weight[s + depth];
    double d1 = depth + 1;
    double invD1 = INV[depth + 1];
    if (one != 0) {
      double invOne = 1 / one;
      for (int i = depth - 1; i >= 0; i--) {
        double tmp = p.weight[s + i];
        p.weight[s + i] = next * d1 * INV[i + 1] * invOne;
        next = tmp - p.weight[s + i] * zero * (depth - i) * invD1;
      }
    } else {
      double invZero = 1 / zero;
      for (int i = depth - 1; i >= 0; i--) {
        p.weight[s + i] = p.weight[s + i] * d1 * invZero * INV[depth - i];
      }
    }
    for (int i = index; i < depth; i++) {
      p.feature[s + i] = p.feature[s + i + 1];
      p.zero[s + i] = p.zero[s + i + 1];
      p.one[s + i] = p.one[s + i + 1];
    }
  }

  private static double unwoundSum(Path p, int s, int depth, int index) {
    double one = p.one[s + index];
    double zero = p.zero[s + index];
    double next = p.weight[s + depth];
    double total = 0;
    double d1 = depth + 1;
    double invD1 = INV[depth + 1];
    if (one != 0) {
      double invOne = 1 / one;
      for (int i = depth - 1; i >= 0; i--) {
        double tmp = next * d1 * INV[i + 1] * invOne;
        total += tmp;
        next = p.weight[s + i] - tmp * zero * (depth - i) * invD1;
      }
    } else {
      double invZero = 1 / zero;
      for (int i = depth - 1; i >= 0; i--) {
        total += p.weight[s + i] * invZero * d1 * INV[depth - i];
      }
    }
    return total;
  }
}
