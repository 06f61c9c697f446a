package io.valuetier.model;

import io.valuetier.features.CustomerLog;
import io.valuetier.features.FeatureBuilder;
import io.valuetier.features.FeatureTable;
import io.valuetier.features.Targets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacked training rows: for each {@link Snapshot}, the model input of every customer who had bought by its cutoff
 * (behavioural features plus the BTYD features fitted at that cutoff) and what they did in the horizon after it. All
 * snapshots share one horizon so that the targets mean the same thing.
 *
 * @param x model inputs
 * @param spend net spend in the horizon
 * @param buys whether the customer bought in the horizon
 * @param snapshot per row, the index in {@code snapshots} of the cutoff it was taken at
 * @param snapshots the cutoffs stacked
 * @param horizonDays the horizon of every snapshot
 * @param rowsBeforeSampling rows before sampling down to the limit
 */
public record TrainingSet(
    double[][] x,
    double[] spend,
    boolean[] buys,
    int[] snapshot,
    List<Snapshot> snapshots,
    int horizonDays,
    int rowsBeforeSampling) {

  /**
   * Builds the stacked rows from {@code log}, which must hold nothing after the last snapshot's horizon (the caller
   * cuts it), sampling down to {@code maxRows} with {@code seed}.
   */
  public static TrainingSet build(
      CustomerLog log, FeatureBuilder features, List<Snapshot> plan, int btydMaxCustomers, int maxRows, long seed) {
    List<double[]> x = new ArrayList<>();
    List<Double> spend = new ArrayList<>();
    List<Boolean> buys = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    int horizon = plan.getFirst().horizonDays();
    for (int k = 0; k < plan.size(); k++) {
      Snapshot s = plan.get(k);
      if (s.horizonDays() != horizon) {
        throw new IllegalArgumentException("snapshots must share one horizon: " + plan);
      }
      FeatureTable table = FeatureTable.at(log, s.cutoffDay(), features);
      if (table.size() == 0) {
        continue;
      }
      BtydFeatures btyd = BtydFeatures.fit(table, btydMaxCustomers, seed);
      Targets t = Targets.of(table, s.horizonDays());
      for (int i = 0; i < table.size(); i++) {
        x.add(btyd.input(table.row(i), s.horizonDays()));
        spend.add(t.spend()[i]);
        buys.add(t.buys()[i]);
        taken.add(k);
      }
    }
    if (x.isEmpty()) {
      throw new IllegalArgumentException("no customer had bought by the first training cutoff " + plan.getFirst().cutoff());
    }
    int total = x.size();
    int[] rows = BtydFeatures.sample(total, maxRows, seed ^ 0x5DEECE66DL);
    double[][] xs = new double[rows.length][];
    double[] ss = new double[rows.length];
    boolean[] bs = new boolean[rows.length];
    int[] ks = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      xs[i] = x.get(rows[i]);
      ss[i] = spend.get(rows[i]);
      bs[i] = buys.get(rows[i]);
      ks[i] = taken.get(rows[i]);
    }
    return new TrainingSet(xs, ss, bs, ks, List.copyOf(plan), horizon, total);
  }

  public int size() {
    return x.length;
  }
}
