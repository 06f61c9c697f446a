package io.valuetier.pipeline;

import io.valuetier.act.ActionFiles;
import io.valuetier.act.PublishService;
import io.valuetier.config.Settings;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.dmn.DecisionTableInfo;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.trace.DecisionCounts;
import io.valuetier.feedback.OutcomeReport;
import io.valuetier.model.TrainingService;
import io.valuetier.records.IngestReport;
import io.valuetier.report.ReportData;
import io.valuetier.report.RollingData;
import io.valuetier.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.model.api.ItemDefinition;

/**
 * Gathers what the report shows from the run's results, the store and the rule set: tiers and service levels in the
 * order of the allowed values of their DMN types (the analysts' order, no tier name in code), actions in the order of
 * the Marketing Action table's rows with channel, offer and cost from the stored decisions, the action files with
 * their row counts, and the amounts' currency.
 */
final class ReportFacts {
  private static final String FIGURES = "the report's figures";

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ReportFacts() {}

  static ReportData gather(
      Settings settings,
      Store store,
      IngestReport ingest,
      int customersScored,
      TrainingService.TrainingResult trained,
      HoldoutEvaluation evaluation,
      BatchDecider.Report decided,
      PublishService.PublishReport published,
      RuleSet rules) {
    long run = decided.runId();
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("rows read", String.format(Locale.ROOT, "%,d", ingest.read()));
    summary.put("accepted", String.format(Locale.ROOT, "%,d", ingest.accepted()));
    summary.put("rejected", String.format(Locale.ROOT, "%,d", ingest.rejected()));
    summary.put("customers scored", String.format(Locale.ROOT, "%,d", customersScored));
    summary.put("decisions", String.format(Locale.ROOT, "%,d", decided.decisions()));
    summary.put("actions published", String.format(Locale.ROOT, "%,d", published.delivered() + published.alreadyDelivered()));
    if (decided.perRuleSet() != null && decided.perRuleSet().size() > 1) {
      decided.perRuleSet().forEach((k, v) -> summary.put("decided by " + k, String.format(Locale.ROOT, "%,d", v)));
    }
    DMNModel dmn = rules.model().model();
    List<DecisionCounts.Counted> counted = DecisionCounts.of(store, run);
    List<ReportData.ActionRow> actions = actions(counted, actionOrder(rules));
    return new ReportData(
        "Customer value report",
        new ReportData.Headline(run, MINUTE.format(Instant.now()), storeName(store.describe()), decided.ruleSet(),
            trained.champion(), currency(store, settings)),
        summary,
        tiers(counted, allowedValues(dmn, TieringModel.VALUE_TIER)),
        actions,
        RunCounts.budget(counted, decided),
        files(published, actions),
        serviceLevels(counted, allowedValues(dmn, TieringModel.SERVICE_LEVEL)),
        evaluation == null ? List.of() : evaluation.gains(),
        evaluation == null ? List.of() : evaluation.calibration(),
        evaluation == null ? List.of() : evaluation.models(),
        evaluation == null ? trained.champion() : evaluation.champion(),
        topFeatures(store),
        RunCounts.ruleHits(counted, rules),
        rejected(store),
        outcomes(store),
        List.of())
        // the registry folder shared by every store's champion, where evaluate --rolling --record keeps its backtest
        .withRolling(RollingData.read(settings.path("valuetier.model.registry-dir")));
  }

  /** The store without driver prefix, options or credentials: {@code h2:file:/srv/valuetier/data/valuetier}. */
  static String storeName(String url) {
    String s = url.startsWith("jdbc:") ? url.substring(5) : url;
    int cut = s.length();
    for (char c : new char[] {';', '?'}) {
      int i = s.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    s = s.substring(0, cut);
    int authority = s.indexOf("//");
    int at = s.indexOf('@'); // user:password@host in a URL
    return authority < 0 || at < authority ? s : s.substring(0, authority + 2) + s.substring(at + 1);
  }

  /**
   * The currency of the stored amounts: that of a stored transaction (valuetier does not convert currencies, so a
   * shop's amounts are in one), the configured default when nothing is stored yet. One row, not a scan of the table.
   */
  private static String currency(Store store, Settings settings) {
    List<String> found = new ArrayList<>();
    store.forEachRow(FIGURES, "SELECT currency FROM transactions LIMIT 1", rs -> found.add(rs.getString(1)));
    return found.isEmpty() || found.get(0) == null
        ? settings.get("valuetier.clean.default-currency", null) : found.get(0).strip();
  }

  /**
   * The values a DMN type allows, in the order written ({@code "Platinum", "Gold", ...}), for the type of this
   * decision's result; empty when the type does not list them.
   */
  static List<String> allowedValues(DMNModel model, String decision) {
    DecisionNode node = model.getDecisionByName(decision);
    if (node == null || node.getDecision().getVariable() == null
        || node.getDecision().getVariable().getTypeRef() == null) {
      return List.of();
    }
    String type = node.getDecision().getVariable().getTypeRef().getLocalPart();
    type = type.substring(Math.max(type.lastIndexOf(':'), type.lastIndexOf('.')) + 1);
    for (ItemDefinition def : model.getDefinitions().getItemDefinition()) {
      if (def.getName().equals(type) && def.getAllowedValues() != null && def.getAllowedValues().getText() != null) {
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(def.getAllowedValues().getText());
        while (m.find()) {
          values.add(m.group(1).replace("\\\"", "\""));
        }
        return values;
      }
    }
    return List.of();
  }

  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Index of a value in the rank order; values the order does not know come after, in the order met. */
  private static int rank(List<String> order, String value) {
    int i = order.indexOf(value);
    return i < 0 ? order.size() : i;
  }

  private static List<ReportData.TierRow> tiers(List<DecisionCounts.Counted> counted, List<String> order) {
    Map<String, double[]> byTier = new LinkedHashMap<>();
    for (DecisionCounts.Counted c : counted) {
      double[] t = byTier.computeIfAbsent(String.valueOf(c.tier()), k -> new double[5]);
      t[0] += c.decisions();
      t[1] += c.predictedValue();
      t[2] += c.withInterval();
      t[3] += c.lowSum();
      t[4] += c.highSum();
    }
    List<ReportData.TierRow> out = new ArrayList<>();
    byTier.forEach((tier, t) -> out.add(new ReportData.TierRow(tier, (long) t[0], t[1],
        t[2] == 0 ? null : t[3] / t[2], t[2] == 0 ? null : t[4] / t[2])));
    // the DMN's order; tiers it does not list by predicted value per customer
    out.sort(Comparator.comparingInt((ReportData.TierRow t) -> rank(order, t.tier()))
        .thenComparing(t -> -t.predictedValue() / Math.max(1, t.customers())));
    return out;
  }

  private static List<ReportData.Bar> serviceLevels(List<DecisionCounts.Counted> counted, List<String> order) {
    Map<String, Long> byLevel = new LinkedHashMap<>();
    for (DecisionCounts.Counted c : counted) {
      byLevel.merge(c.serviceLevel() == null ? "(none)" : c.serviceLevel(), c.decisions(), Long::sum);
    }
    List<ReportData.Bar> out = new ArrayList<>();
    byLevel.forEach((level, n) -> out.add(new ReportData.Bar(level, n)));
    out.sort(Comparator.comparingInt((ReportData.Bar b) -> rank(order, b.label())).thenComparing(b -> -b.value()));
    return out;
  }

  /** The action codes in the order of the Marketing Action table's rows. */
  private static List<String> actionOrder(RuleSet rules) {
    List<String> order = new ArrayList<>();
    for (DecisionTableInfo t : rules.model().tables()) {
      int column = t.outputs().indexOf(TieringModel.ACTION_FIELDS.get(0));
      if (!t.decision().equals(TieringModel.MARKETING_ACTION) || column < 0) {
        continue;
      }
      for (DecisionTableInfo.Row row : t.rows()) {
        if (column < row.then().size()) {
          String cell = row.then().get(column).strip();
          String code = cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
              ? cell.substring(1, cell.length() - 1) : cell;
          if (!order.contains(code)) {
            order.add(code);
          }
        }
      }
    }
    return order;
  }

  /** One line per action code, from the run's stored decisions. */
  private static List<ReportData.ActionRow> actions(List<DecisionCounts.Counted> counted, List<String> order) {
    final class Acc {
      final Set<String> channels = new TreeSet<>();
      final Set<String> offers = new TreeSet<>();
      long customers;
      long heldOut;
      long withoutOffer;
      double costPerContact;
      double cost;
    }
    Map<String, Acc> byAction = new LinkedHashMap<>();
    for (DecisionCounts.Counted c : counted) {
      Acc a = byAction.computeIfAbsent(String.valueOf(c.action()), k -> new Acc());
      long n = c.decisions();
      if (c.controlGroup()) {
        a.heldOut += n;
        continue;
      }
      a.customers += n;
      if (c.channel() != null) {
        a.channels.add(c.channel());
      }
      if (c.offer() != null) {
        a.offers.add(c.offer());
      }
      if (c.guardrails() != null && c.guardrails().contains("BUDGET_CAP")) {
        a.withoutOffer += n;
      }
      double cost = c.offerCost() == null ? 0 : c.offerCost();
      a.costPerContact = Math.max(a.costPerContact, cost);
      a.cost += cost * n;
    }
    List<ReportData.ActionRow> out = new ArrayList<>();
    byAction.forEach((code, a) -> out.add(new ReportData.ActionRow(code, List.copyOf(a.channels),
        List.copyOf(a.offers), a.customers, a.heldOut, a.withoutOffer, a.costPerContact, a.cost)));
    out.sort(Comparator.comparingInt((ReportData.ActionRow a) -> rank(order, a.action()))
        .thenComparing(a -> -(a.customers() + a.heldOut())));
    return out;
  }

  /**
   * The run's folder and its files with their data rows, in the order of the actions (each contact list followed by
   * its control group, the JSON Lines file of every decision last), or only the destination when it is not a folder.
   */
  static ReportData.Published files(PublishService.PublishReport published, List<ReportData.ActionRow> actions) {
    if (published.folder() == null) {
      return new ReportData.Published(published.destination(), null, List.of());
    }
    Map<String, ReportData.ActionRow> byFile = new LinkedHashMap<>();
    actions.forEach(a -> byFile.putIfAbsent(a.action().replaceAll("[^A-Za-z0-9_-]", "_"), a));
    List<String> order = new ArrayList<>(byFile.keySet());
    Path folder = Path.of(published.folder());
    List<ReportData.FileRow> files = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> list = Files.list(folder)) {
        for (Path p : list.filter(Files::isRegularFile).toList()) {
          String name = p.getFileName().toString();
          if (name.endsWith(ActionFiles.CONTROL_GROUP_SUFFIX)) {
            files.add(new ReportData.FileRow(name, Math.max(0, records(p) - 1), ReportData.FileKind.CONTROL_GROUP));
          } else if (name.endsWith(".csv")) {
            ReportData.ActionRow a = byFile.get(name.substring(0, name.length() - 4));
            files.add(new ReportData.FileRow(name, Math.max(0, records(p) - 1),
                a != null && a.channel().isEmpty() ? ReportData.FileKind.NO_CONTACT : ReportData.FileKind.CONTACTS));
          } else if (name.endsWith(".jsonl")) {
            files.add(new ReportData.FileRow(name, records(p), ReportData.FileKind.ALL_DECISIONS));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the action files in " + folder + ": " + e.getMessage(), e);
      }
    }
    files.sort(Comparator.comparing((ReportData.FileRow f) -> f.kind() == ReportData.FileKind.ALL_DECISIONS)
        .thenComparing(f -> rank(order, action(f.name())))
        .thenComparing(f -> action(f.name()))
        .thenComparing(f -> f.kind() == ReportData.FileKind.CONTROL_GROUP));
    return new ReportData.Published(published.destination(), folder.toAbsolutePath().normalize().toString(), files);
  }

  /** The action a file is named after. */
  private static String action(String file) {
    return file.endsWith(ActionFiles.CONTROL_GROUP_SUFFIX)
        ? file.substring(0, file.length() - ActionFiles.CONTROL_GROUP_SUFFIX.length())
        : file.substring(0, Math.max(0, file.lastIndexOf('.')));
  }

  /** Records in a CSV or JSON Lines file: line ends outside double quotes, and a last line without one. */
  static long records(Path file) {
    long n = 0;
    boolean quoted = false;
    boolean open = false;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          byte b = buf[i];
          if (b == '"') {
            quoted = !quoted;
          }
          if (b == '\n' && !quoted) {
            n++;
            open = false;
          } else if (b != '\r') {
            open = true;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return open ? n + 1 : n;
  }

  /** Outcomes of every decision run so far, per tier and action, against control (empty until outcomes come back). */
  static List<ReportData.OutcomeRow> outcomes(Store store) {
    List<ReportData.OutcomeRow> out = new ArrayList<>();
    for (OutcomeReport.Row r : OutcomeReport.compute(store, null)) {
      out.add(new ReportData.OutcomeRow(r.tier(), r.action(), r.treated(), r.control(), r.responseRate(),
          r.purchaseRate(), r.controlPurchaseRate(), r.purchaseUplift().estimate(), r.purchaseUplift().low(),
          r.purchaseUplift().high(), r.revenuePerCustomer(), r.controlRevenuePerCustomer(),
          r.revenueUplift().estimate(), r.revenueUplift().low(), r.revenueUplift().high()));
    }
    return out;
  }

  private static List<ReportData.Bar> bars(Map<String, Long> m) {
    List<ReportData.Bar> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new ReportData.Bar(k, v)));
    out.sort(Comparator.comparingDouble(ReportData.Bar::value).reversed());
    return out;
  }

  /** Features by their mean absolute push among each customer's three strongest reasons. */
  private static List<ReportData.Bar> topFeatures(Store store) {
    Map<String, Double> push = new HashMap<>();
    long[] customers = {0};
    store.forEachRow(FIGURES, "SELECT reason_codes FROM scores WHERE reason_codes IS NOT NULL", rs -> {
      customers[0]++;
      for (String part : rs.getString(1).split(";")) {
        int c = part.lastIndexOf(':');
        if (c > 0) {
          try {
            push.merge(part.substring(0, c), Math.abs(Double.parseDouble(part.substring(c + 1))), Double::sum);
          } catch (NumberFormatException e) {
            // a reason without a number is not counted
          }
        }
      }
    });
    List<ReportData.Bar> out = new ArrayList<>();
    push.forEach((k, v) -> out.add(new ReportData.Bar(k, v / Math.max(1, customers[0]))));
    out.sort(Comparator.comparingDouble(ReportData.Bar::value).reversed());
    return out.size() > 12 ? out.subList(0, 12) : out;
  }

  private static List<ReportData.Bar> rejected(Store store) {
    Map<String, Long> m = new TreeMap<>();
    store.forEachRow(FIGURES, "SELECT reason_code, COUNT(*) FROM rejected_records GROUP BY reason_code",
        rs -> m.put(rs.getString(1), rs.getLong(2)));
    return bars(m);
  }
}
