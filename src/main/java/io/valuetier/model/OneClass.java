package io.valuetier.model;

import java.util.List;
import java.util.Set;

/**
 * The degenerate shop: training rows where every customer bought again in the target window, or none did. The learned
 * models fit a classifier of "buys again", which needs both kinds of customer (Smile stops with a bare {@code Only one
 * class}); they are skipped with a notice that says why, and the baselines, which need no classifier, carry on.
 */
final class OneClass {
  /** The algorithms that fit a classifier of "buys again" on the training rows. */
  static final Set<String> NEEDS_BOTH = Set.of("gbt", "mlp");

  private OneClass() {}

  /**
   * The algorithms of {@code algorithms} that can be trained on {@code set}; when the rows hold only one class, the
   * learned ones are left out and a notice is added to {@code notices}.
   *
   * @throws IllegalArgumentException naming the data and the setting to change when no algorithm is left
   */
  static List<String> usable(List<String> algorithms, TrainingSet set, List<Snapshot> plan, List<String> notices) {
    int bought = 0;
    for (boolean b : set.buys()) {
      if (b) {
        bought++;
      }
    }
    if (bought > 0 && bought < set.size()) {
      return algorithms;
    }
    List<String> skipped = algorithms.stream().filter(NEEDS_BOTH::contains).toList();
    if (skipped.isEmpty()) {
      return algorithms;
    }
    String what = bought == 0
        ? "no customer bought again"
        : "every customer bought again";
    String cutoffs = plan.stream().map(s -> s.cutoff().toString()).distinct().toList().toString();
    String notice = "in the training rows (" + set.size() + " customer snapshots at cutoffs " + cutoffs + ", "
        + set.horizonDays() + "-day windows) " + what + ", so there is nothing to learn 'buys again' from: "
        + String.join(", ", skipped) + " skipped";
    List<String> left = algorithms.stream().filter(a -> !NEEDS_BOTH.contains(a)).toList();
    if (left.isEmpty()) {
      throw new IllegalArgumentException(
          notice + " and no other algorithm is configured. Add btyd or naive to valuetier.model.algorithms (e.g. "
              + "valuetier.model.algorithms=" + String.join(",", algorithms) + ",btyd,naive), or train on a longer "
              + "history with customers who did and did not come back");
    }
    notices.add(notice + "; the champion is chosen among " + String.join(", ", left));
    return left;
  }
}
