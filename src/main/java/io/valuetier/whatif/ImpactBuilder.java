package io.valuetier.whatif;

import io.valuetier.decide.Decision;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Accumulates the pairs (active decision, candidate decision) of one population into an {@link Impact}. Not
 * thread-safe: feed it from one thread (or synchronise).
 */
public final class ImpactBuilder {
  private final String active;
  private final String candidate;
  private final int sampleSize;
  private long customers;
  private long tierChanges;
  private long actionChanges;
  private final Map<String, Map<String, Long>> migration = new TreeMap<>();
  private final Map<String, long[]> actions = new TreeMap<>();
  private final Map<String, BigDecimal[]> value = new TreeMap<>();
  private final Map<String, long[]> moves = new TreeMap<>();
  private final List<Impact.Change> sample = new ArrayList<>();
  private final Map<String, Map<String, List<String>>> examples = new TreeMap<>();

  public ImpactBuilder(String activeRuleSet, String candidateRuleSet, int sampleSize) {
    this.active = activeRuleSet;
    this.candidate = candidateRuleSet;
    this.sampleSize = sampleSize;
  }

  /** Adds one customer decided by both rule sets. */
  public void add(Decision a, Decision c) {
    if (!Objects.equals(a.customerId(), c.customerId())) {
      throw new IllegalArgumentException("decisions of different customers: " + a.customerId() + ", " + c.customerId());
    }
    customers++;
    String from = label(a.valueTier());
    String to = label(c.valueTier());
    migration.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, 1L, Long::sum);
    actions.computeIfAbsent(label(a.actionCode()), k -> new long[2])[0]++;
    actions.computeIfAbsent(label(c.actionCode()), k -> new long[2])[1]++;
    BigDecimal v = a.predictedValue() == null ? BigDecimal.ZERO : a.predictedValue();
    boolean tierChanged = !from.equals(to);
    boolean actionChanged = !Objects.equals(a.actionCode(), c.actionCode());
    if (tierChanged) {
      tierChanges++;
      add(from, 0, v);
      add(to, 1, v);
    }
    if (actionChanged) {
      actionChanges++;
    }
    if (tierChanged || actionChanged) {
      List<String> cell = examples.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new ArrayList<>());
      if (cell.size() < Impact.EXAMPLES_PER_CELL) {
        cell.add(a.customerId());
      }
    }
    if ((tierChanged || actionChanged) && sample.size() < sampleSize) {
      sample.add(new Impact.Change(
          a.customerId(), v, from, to, label(a.actionCode()), label(c.actionCode()), a.reasons(), c.reasons()));
    }
  }

  private void add(String tier, int side, BigDecimal v) {
    value.computeIfAbsent(tier, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[side] =
        value.get(tier)[side].add(v);
    moves.computeIfAbsent(tier, k -> new long[2])[side]++;
  }

  private static String label(String s) {
    return s == null ? "(none)" : s;
  }

  public Impact build() {
    Map<String, Impact.ActionCount> ac = new TreeMap<>();
    actions.forEach((k, v) -> ac.put(k, new Impact.ActionCount(v[0], v[1])));
    Map<String, Impact.TierValue> tv = new TreeMap<>();
    value.forEach((k, v) -> {
      long[] m = moves.get(k);
      tv.put(k, new Impact.TierValue(m[0], v[0], m[1], v[1]));
    });
    return new Impact(
        active, candidate, customers, tierChanges, actionChanges, migration, ac, tv, List.copyOf(sample), examples);
  }
}
