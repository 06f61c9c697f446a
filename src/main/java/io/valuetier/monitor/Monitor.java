package io.valuetier.monitor;

import io.valuetier.features.CustomerLog;
import io.valuetier.model.FeatureProfile;
import io.valuetier.model.registry.ModelRegistry;
import io.valuetier.model.registry.RegistryException;
import io.valuetier.records.Finding;
import io.valuetier.store.Store;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the three checks: feature drift of the champion, calibration of the latest scoring run whose horizon has
 * passed, and decision shifts between the last two batch decision runs. A check that cannot run (no champion, no
 * drift profile, no horizon passed yet, fewer than two decision runs) says why in a notice; warnings never fail.
 */
public final class Monitor {
  private final MonitorSettings settings;
  private final ModelRegistry registry;
  private final Store store;

  public Monitor(MonitorSettings settings, ModelRegistry registry, Store store) {
    this.settings = settings;
    this.registry = registry;
    this.store = store;
  }

  /**
   * What monitoring found.
   *
   * @param drift feature drift (null when it could not run)
   * @param calibration calibration (null when no horizon has passed)
   * @param decisions decision shifts (null with fewer than two batch runs)
   * @param findings warnings first, then notices
   * @param seconds wall time
   */
  public record Report(
      Drift drift, Calibration calibration, DecisionShift decisions, List<Finding> findings, double seconds) {

    public List<Finding> warnings() {
      return findings.stream().filter(Finding::warning).toList();
    }

    /** Warnings about the model itself (drift, calibration), which may trigger retraining. */
    public List<Finding> modelWarnings() {
      return warnings().stream().filter(f -> !f.area().equals("decisions")).toList();
    }

    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("warnings", warnings().size());
      m.put("notices", findings.size() - warnings().size());
      m.put("drift", drift == null ? null : drift.asMap());
      m.put("calibration", calibration == null ? null : calibration.asMap());
      m.put("decisions", decisions == null ? null : decisions.asMap());
      m.put("findings", findings.stream().map(Finding::asMap).toList());
      m.put("seconds", seconds);
      return m;
    }

    /** The report in words. */
    public List<String> lines() {
      List<String> l = new ArrayList<>();
      if (drift != null) {
        l.add(String.format(Locale.ROOT, "drift: %s, training population %s (%,d customers) vs %s (%,d customers), "
            + "largest PSI %.3f", drift.modelId(), drift.trainingCutoff(), drift.trainingCustomers(), drift.cutoff(),
            drift.customers(), drift.max()));
        drift.psi().entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(5)
            .forEach(e -> l.add(String.format(Locale.ROOT, "  %-26s PSI %.3f", e.getKey(), e.getValue())));
      }
      if (calibration != null) {
        Calibration c = calibration;
        l.add(String.format(Locale.ROOT, "calibration: %s scored at %s, %s..%s has passed (%,d customers): predicted "
            + "%,.0f vs actual %,.0f (ratio %.2f), Brier %.3f, Spearman %.3f, normalized Gini %.3f%s", c.modelId(),
            c.cutoff(), c.cutoff().plusDays(1), c.cutoff().plusDays(c.horizonDays()), c.customers(),
            c.predictedTotal(), c.actualTotal(), c.totalRatio(), c.brier(), c.spearman(), c.normalizedGini(),
            Double.isNaN(c.validationGini()) ? "" : String.format(Locale.ROOT, " (card: %.3f)", c.validationGini())));
      }
      if (decisions != null) {
        DecisionShift d = decisions;
        l.add(String.format(Locale.ROOT, "decisions: run %d (%,d) -> run %d (%,d), tier mix PSI %.3f", d.previousRun(),
            d.previousDecisions(), d.currentRun(), d.currentDecisions(), d.tierPsi()));
        l.add("  tiers " + d.previousTiers() + " -> " + d.currentTiers());
      }
      if (findings.isEmpty()) {
        l.add("no warnings");
      }
      for (Finding f : findings) {
        l.add(f.level() + " " + f.message());
      }
      return l;
    }
  }

  /** Runs every check on {@code log} (the store's customer log) with the scored population at its last day. */
  public Report run(CustomerLog log) {
    return run(log, null);
  }

  /**
   * As {@link #run(CustomerLog)}, reusing {@code known} (may be null) as the champion's drift when it was measured on
   * this log for the same champion at the same day (the main job's retraining policy measures it first).
   */
  public Report run(CustomerLog log, Drift known) {
    long t0 = System.nanoTime();
    List<Finding> findings = new ArrayList<>();
    Drift drift = null;
    Optional<ModelRegistry.Champion> champion = registry.champion();
    LocalDate last = log.records() == 0 ? null : log.lastDate();
    if (champion.isEmpty()) {
      findings.add(notice("drift", "no champion in " + registry.dir() + ": run `valuetier train` first"));
    } else if (last == null) {
      findings.add(notice("drift", "no transactions in the store: nothing to compare"));
    } else {
      ModelRegistry.Champion c = champion.get();
      Optional<FeatureProfile> profile = FeatureProfile.load(registry.folder(c.algorithm(), c.version()));
      if (profile.isEmpty()) {
        findings.add(notice("drift", c.modelId() + " has no " + FeatureProfile.FILE
            + " (trained before monitoring existed): retrain to monitor its drift"));
      } else {
        try {
          if (known != null && known.modelId().equals(c.modelId()) && known.cutoff().equals(last)) {
            drift = known;
          } else {
            ModelRegistry.Loaded loaded = registry.load(c.algorithm(), c.version());
            drift = Drift.of(c.modelId(), loaded.model(), profile.get(), log, last);
          }
          findings.addAll(drift.findings(settings));
        } catch (RegistryException e) {
          findings.add(new Finding(Finding.WARN, "drift", "champion", Double.NaN, Double.NaN, null,
              "the champion cannot be loaded, so its drift is not measured: " + e.getMessage()));
        }
      }
    }
    Calibration calibration = null;
    List<Calibration.Run> runs = Calibration.runs(store);
    Optional<Calibration.Run> due = last == null ? Optional.empty() : Calibration.due(runs, last);
    if (due.isPresent()) {
      calibration = Calibration.of(store, due.get(), log, registry);
      findings.addAll(calibration.findings(settings));
    } else if (runs.isEmpty()) {
      findings.add(notice("calibration", "no scoring run in score_history yet: run `valuetier predict`"));
    } else {
      LocalDate next = runs.stream().map(Calibration.Run::due).min(Comparator.naturalOrder()).orElseThrow();
      findings.add(notice("calibration", "no scoring run's horizon has passed yet (data ends " + last
          + "); the earliest can be checked once the store holds data to " + next));
    }
    Optional<DecisionShift> shift = DecisionShift.latest(store);
    shift.ifPresent(s -> findings.addAll(s.findings(settings)));
    if (shift.isEmpty()) {
      findings.add(notice("decisions", "fewer than two finished batch decision runs: no shift to measure"));
    }
    List<Finding> ordered = new ArrayList<>(findings.stream().filter(Finding::warning).toList());
    ordered.addAll(findings.stream().filter(f -> !f.warning()).toList());
    return new Report(drift, calibration, shift.orElse(null), List.copyOf(ordered), (System.nanoTime() - t0) / 1e9);
  }

  private static Finding notice(String area, String message) {
    return new Finding(Finding.NOTICE, area, "status", Double.NaN, Double.NaN, null, message);
  }
}
