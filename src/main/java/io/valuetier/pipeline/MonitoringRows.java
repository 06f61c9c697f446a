package io.valuetier.pipeline;

import io.valuetier.monitor.Calibration;
import io.valuetier.monitor.DecisionShift;
import io.valuetier.monitor.Monitor;
import io.valuetier.monitor.MonitorSettings;
import io.valuetier.records.Finding;
import io.valuetier.report.ReportData.MonitorRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's compact monitoring table: the figures that matter, each with its threshold and status. */
final class MonitoringRows {
  /** Drift rows shown: the inputs with the largest PSI (every warning is shown in any case). */
  private static final int DRIFT_ROWS = 6;
  /** Rule rows and guardrails shown: the largest moves. */
  private static final int HIT_ROWS = 5;

  private MonitoringRows() {}

  static List<MonitorRow> of(Monitor.Report r, MonitorSettings s) {
    List<MonitorRow> out = new ArrayList<>();
    if (r.drift() != null) {
      List<Map.Entry<String, Double>> psi = new ArrayList<>(r.drift().psi().entrySet());
      psi.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      for (int i = 0; i < psi.size(); i++) {
        double v = psi.get(i).getValue();
        if (i >= DRIFT_ROWS && v <= s.psiWarn()) {
          break;
        }
        out.add(new MonitorRow("drift", "PSI " + psi.get(i).getKey(), f3(v), f2(s.psiWarn()),
            v > s.psiWarn() ? "warn" : v > s.psiNotice() ? "notice" : "ok",
            i > 0 ? "" : String.format(Locale.ROOT, "%s: training population %s (%,d customers) vs customers at %s "
                + "(%,d)", r.drift().modelId(), r.drift().trainingCutoff(), r.drift().trainingCustomers(),
                r.drift().cutoff(), r.drift().customers())));
      }
    }
    Calibration c = r.calibration();
    if (c != null) {
      String window = c.modelId() + ", " + c.cutoff().plusDays(1) + ".." + c.cutoff().plusDays(c.horizonDays())
          + ", " + String.format(Locale.ROOT, "%,d", c.customers()) + " customers";
      boolean judged = c.customers() >= s.minCustomers();
      out.add(new MonitorRow("calibration", "predicted / actual total", f2(c.totalRatio()),
          "1 \u00b1 " + f2(s.totalBand()),
          !judged ? "notice" : Math.abs(c.totalRatio() - 1) > s.totalBand() || !Double.isFinite(c.totalRatio())
              ? "warn" : "ok",
          String.format(Locale.ROOT, "%s: predicted %,.0f, actual %,.0f", window, c.predictedTotal(), c.actualTotal())));
      boolean drop = judged && Double.isFinite(c.validationGini())
          && c.validationGini() - c.normalizedGini() > s.maxGiniDrop();
      out.add(new MonitorRow("calibration", "normalized Gini", f3(c.normalizedGini()),
          Double.isFinite(c.validationGini()) ? "\u2265 " + f3(c.validationGini() - s.maxGiniDrop()) : "",
          drop ? "warn" : "ok",
          Double.isFinite(c.validationGini()) ? "card (validation): " + f3(c.validationGini()) : "no card"));
      out.add(new MonitorRow("calibration", "Spearman", f3(c.spearman()), "", "ok", window));
      out.add(new MonitorRow("calibration", "Brier score (probability)", f3(c.brier()), "", "ok",
          "mean squared error of the purchase probability (0 is perfect)"));
    }
    DecisionShift d = r.decisions();
    if (d != null) {
      out.add(new MonitorRow("decisions", "PSI tier mix", f3(d.tierPsi()), f2(s.tierPsiWarn()),
          d.tierPsi() > s.tierPsiWarn() ? "warn" : d.tierPsi() > s.psiNotice() ? "notice" : "ok",
          "run " + d.previousRun() + " \u2192 run " + d.currentRun()));
      List<DecisionShift.HitRate> hits = new ArrayList<>(d.hits());
      hits.sort(Comparator.comparingDouble((DecisionShift.HitRate h) -> Math.abs(h.points())).reversed());
      for (int i = 0; i < hits.size(); i++) {
        DecisionShift.HitRate h = hits.get(i);
        boolean warn = Math.abs(h.points()) > s.hitRatePoints();
        if (i >= HIT_ROWS && !warn) {
          break;
        }
        out.add(new MonitorRow("decisions", "hit rate " + h.key(),
            String.format(Locale.ROOT, "%+.1f pp", h.points()), "\u00b1 " + f2(s.hitRatePoints()) + " pp",
            warn ? "warn" : "ok",
            String.format(Locale.ROOT, "%.1f%% \u2192 %.1f%% of decisions", 100 * h.previous(), 100 * h.current())));
      }
    }
    for (Finding f : r.findings()) {
      if (!f.warning() && "status".equals(f.subject())) {
        out.add(new MonitorRow(f.area(), "not checked", "", "", "notice", f.message()));
      }
    }
    return out;
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
