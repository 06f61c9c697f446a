package io.valuetier.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One training cutoff: features at {@code cutoffDay} (inclusive), targets over the {@code horizonDays} after it.
 *
 * @param cutoffDay epoch day
 * @param horizonDays days after the cutoff
 */
public record Snapshot(int cutoffDay, int horizonDays) {

  public LocalDate cutoff() {
    return LocalDate.ofEpochDay(cutoffDay);
  }

  /** The last day of the target window. */
  public LocalDate horizonEnd() {
    return LocalDate.ofEpochDay((long) cutoffDay + horizonDays);
  }

  /**
   * The training cutoffs for a prediction at {@code predictionCutoff} with labelled data ending on {@code endDay}.
   *
   * <p>Seasonal plan, when the data allows it: {@code n} cutoffs {@code spacing} days apart around the prediction cutoff
   * one year earlier ({@code predictionCutoff - 365}, then -1, +1, -2, +2 spacings...), each with the full horizon, so
   * that the target windows cover the season the prediction covers. Otherwise the latest plan: {@code n} cutoffs
   * {@code spacing} days apart, the last one {@code h} days before the end, where {@code h} is the wanted horizon or,
   * when the data is too short, the longest horizon that leaves every cutoff {@code minHistory} days of history; fewer
   * cutoffs are used before the horizon drops below {@code minHorizon}.
   *
   * @throws IllegalArgumentException when even one cutoff does not fit
   */
  public static List<Snapshot> plan(
      int firstDay, int predictionCutoff, int endDay, int wantedHorizon, int snapshots, int spacing, int minHistory,
      int minHorizon, boolean seasonal) {
    if (seasonal) {
      int anchor = predictionCutoff - 365;
      List<Integer> cutoffs = new ArrayList<>();
      for (int j = 0; cutoffs.size() < snapshots && j <= 2 * snapshots; j++) {
        int step = (j + 1) / 2 * (j % 2 == 1 ? -1 : 1); // 0, -1, +1, -2, +2, ...
        int c = anchor + step * spacing;
        if (c >= firstDay + minHistory && (long) c + wantedHorizon <= endDay) {
          cutoffs.add(c);
        }
      }
      if (cutoffs.size() == snapshots) {
        cutoffs.sort(null);
        return cutoffs.stream().map(c -> new Snapshot(c, wantedHorizon)).toList();
      }
    }
    return latest(firstDay, endDay, wantedHorizon, snapshots, spacing, minHistory, minHorizon);
  }

  /** The latest plan (see {@link #plan}). */
  static List<Snapshot> latest(
      int firstDay, int endDay, int wantedHorizon, int snapshots, int spacing, int minHistory, int minHorizon) {
    int floor = Math.min(wantedHorizon, minHorizon);
    for (int n = snapshots; n >= 1; n--) {
      int available = endDay - (firstDay + minHistory) - (n - 1) * spacing;
      int h = Math.min(wantedHorizon, available);
      if (h >= floor) {
        List<Snapshot> plan = new ArrayList<>();
        for (int k = n - 1; k >= 0; k--) {
          plan.add(new Snapshot(endDay - h - k * spacing, h));
        }
        return plan;
      }
    }
    throw new IllegalArgumentException(
        "the data from " + LocalDate.ofEpochDay(firstDay) + " to " + LocalDate.ofEpochDay(endDay) + " is too short "
            + "for one training cutoff with " + minHistory + " days of history and a horizon of at least " + floor
            + " days (valuetier.model.min-history-days, valuetier.model.min-training-horizon-days)");
  }
}
