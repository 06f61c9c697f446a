package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.act.PublishService;
import io.valuetier.bench.SyntheticPopulation;
import io.valuetier.decide.BatchDecider;
import io.valuetier.decide.ControlGroups;
import io.valuetier.decide.DecisionEngine;
import io.valuetier.decide.TestRuleSets;
import io.valuetier.decide.dmn.TieringModel;
import io.valuetier.decide.trace.DecisionCounts;
import io.valuetier.decide.trace.DecisionLog;
import io.valuetier.report.ReportData;
import io.valuetier.store.Store;
import io.valuetier.testing.TestStores;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the report reads: the rank order of the DMN's types, the action files, the store's name, and the run's decisions
 * counted once by outcome (against SQL on the decisions view, and at the cost of the run's own rows).
 */
class ReportFactsTest {
  @TempDir Path work;

  @Test
  void tiersAndServiceLevelsAreRankedInTheOrderTheirDmnTypesAllow() throws Exception {
    var model = TestRuleSets.shipped().model().model();
    List<String> tiers = ReportFacts.allowedValues(model, TieringModel.VALUE_TIER);
    assertEquals(allowedInFile("tValueTier"), tiers);
    assertTrue(tiers.indexOf("Platinum") < tiers.indexOf("Bronze"), "highest tier first: " + tiers);
    assertEquals(allowedInFile("tServiceLevel"), ReportFacts.allowedValues(model, TieringModel.SERVICE_LEVEL));
    assertEquals(List.of(), ReportFacts.allowedValues(model, "No Such Decision"));
  }

  @Test
  void theActionFilesAreListedWithTheirDataRowsInTheOrderOfTheActions() throws Exception {
    Path folder = Files.createDirectories(work.resolve("run-3"));
    String header = "decision_id,customer_id,reasons\n";
    Files.writeString(folder.resolve("VIP.csv"), header + "1,a,\"two\nlines\"\n2,b,x\n3,c,\"say \"\"hi\"\"\"\n");
    Files.writeString(folder.resolve("VIP.control-group.csv"), header + "4,d,x");
    Files.writeString(folder.resolve("A.csv"), header);
    Files.writeString(folder.resolve("NONE.csv"), header + "5,e,x\n");
    Files.writeString(folder.resolve("actions.jsonl"), "{}\n{}\n{}\n{}\n{}\n");
    Files.writeString(folder.resolve("notes.txt"), "not an action file\n");
    List<ReportData.ActionRow> actions = List.of(
        new ReportData.ActionRow("VIP", List.of("PHONE"), List.of("gift"), 3, 1, 0, 40, 120),
        new ReportData.ActionRow("NONE", List.of(), List.of(), 1, 0, 0, 0, 0),
        new ReportData.ActionRow("A", List.of("EMAIL"), List.of(), 0, 0, 0, 0, 0));

    ReportData.Published p = ReportFacts.files(new PublishService.PublishReport("direct:write-action-files", 5, 5, 0,
        null, folder.toString()), actions);

    assertEquals(folder.toAbsolutePath().normalize().toString(), p.folder());
    List<String> seen = new ArrayList<>();
    p.files().forEach(f -> seen.add(f.name() + "=" + f.rows() + " " + f.kind()));
    assertEquals(List.of("VIP.csv=3 CONTACTS", "VIP.control-group.csv=1 CONTROL_GROUP", "NONE.csv=1 NO_CONTACT",
        "A.csv=0 CONTACTS", "actions.jsonl=5 ALL_DECISIONS"), seen);
  }

  @Test
  void aDestinationThatIsNotAFolderIsNamedWithoutFiles() {
    ReportData.Published p = ReportFacts.files(new PublishService.PublishReport("nats:valuetier.actions", 4, 4, 0,
        null, null), List.of());
    assertNull(p.folder());
    assertEquals("nats:valuetier.actions", p.destination());
    assertEquals(List.of(), p.files());
  }

  @Test
  void aRecordCountIgnoresLineEndsInsideQuotesAndCountsALastLineWithoutOne() throws Exception {
    Path f = work.resolve("x.csv");
    Files.writeString(f, "h\n\"a\r\nb\",c\r\nd", StandardCharsets.UTF_8);
    assertEquals(3, ReportFacts.records(f));
    Files.writeString(f, "");
    assertEquals(0, ReportFacts.records(f));
  }

  @Test
  void theStoreIsNamedWithoutOptionsOrCredentials() {
    assertEquals("h2:file:/srv/valuetier/data/valuetier",
        ReportFacts.storeName("jdbc:h2:file:/srv/valuetier/data/valuetier;MODE=MySQL;PASSWORD=secret"));
    assertEquals("mysql://db.example:3306/shop",
        ReportFacts.storeName("jdbc:mysql://user:secret@db.example:3306/shop?password=secret&useSSL=true"));
  }

  /** The allowed values of an item definition, read from the shipped DMN file with a plain XML parser. */
  private static List<String> allowedInFile(String type) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    var doc = f.newDocumentBuilder().parse(TestRuleSets.home().resolve("dmn/customer-tiering.dmn").toFile());
    NodeList defs = doc.getElementsByTagNameNS("*", "itemDefinition");
    for (int i = 0; i < defs.getLength(); i++) {
      Element e = (Element) defs.item(i);
      if (e.getAttribute("name").equals(type)) {
        String text = e.getElementsByTagNameNS("*", "allowedValues").item(0).getTextContent();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(text);
        while (m.find()) {
          out.add(m.group(1));
        }
        assertTrue(out.size() >= 3, type + " lists its values: " + out);
        return out;
      }
    }
    throw new AssertionError("no item definition " + type + " in the shipped DMN");
  }

  @Test
  void theRunsFiguresCountedOnceByOutcomeAreThoseOfTheDecisionsView() throws Exception {
    try (Store store = Store.open(
        TestStores.h2Url(work), null, null, 4)) {
      SyntheticPopulation.write(store, 2000, 5);
      // half the customers with a prediction interval
      store.execute("UPDATE scores SET predicted_spend_low = predicted_spend / 4, predicted_spend_high = predicted_spend * 2"
          + " WHERE MOD(tenure_days, 2) = 0");
      long[] runs = new long[2];
      for (int i = 0; i < 2; i++) {
        runs[i] = new BatchDecider(
            new DecisionEngine(TestRuleSets.shipped(),
                TestRuleSets.params(new BigDecimal("800")),
                new ControlGroups(0.1, Map.of(), "report"), null),
            new DecisionLog(store, 100),
            new BatchDecider.Options(2, 500, true, Duration.ofDays(90))).run().runId();
      }
      for (long run : runs) {
        List<DecisionCounts.Counted> counted = DecisionCounts.of(store, run);
        assertEquals(2000, counted.stream().mapToLong(DecisionCounts.Counted::decisions).sum(), "run " + run);
        // per tier, action and control group: count, predicted value and offer cost as SQL sums them on the view
        Map<String, String> expected = new TreeMap<>();
        store.forEachRow("expected", "SELECT value_tier, action_code, control_group, COUNT(*), SUM(predicted_value),"
            + " SUM(offer_cost), SUM(CASE WHEN guardrails LIKE '%BUDGET_CAP%' THEN 1 ELSE 0 END),"
            + " COUNT(predicted_value_low), SUM(predicted_value_low), SUM(predicted_value_high) FROM decisions"
            + " WHERE run_id = ? GROUP BY value_tier, action_code, control_group",
            rs -> expected.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getBoolean(3),
                String.format(Locale.ROOT, "%d %.2f %.2f %d %d %.2f %.2f", rs.getLong(4), rs.getDouble(5),
                    rs.getDouble(6), rs.getLong(7), rs.getLong(8), rs.getDouble(9), rs.getDouble(10))), run);
        Map<String, double[]> got = new TreeMap<>();
        for (DecisionCounts.Counted c : counted) {
          double[] g = got.computeIfAbsent(c.tier() + "/" + c.action() + "/" + c.controlGroup(), k -> new double[7]);
          g[0] += c.decisions();
          g[1] += c.predictedValue();
          g[2] += c.offerCost() == null ? 0 : c.offerCost() * c.decisions();
          g[3] += c.guardrails() != null && c.guardrails().contains("BUDGET_CAP") ? c.decisions() : 0;
          g[4] += c.withInterval();
          g[5] += c.lowSum();
          g[6] += c.highSum();
        }
        Map<String, String> actual = new TreeMap<>();
        got.forEach((k, g) -> actual.put(k,
            String.format(Locale.ROOT, "%d %.2f %.2f %d %d %.2f %.2f", (long) g[0], g[1], g[2], (long) g[3],
                (long) g[4], g[5], g[6])));
        assertEquals(expected, actual, "run " + run);
        assertTrue(expected.keySet().stream().anyMatch(k -> k.endsWith("/true")), "a control group: " + expected);
        long withInterval = counted.stream().mapToLong(DecisionCounts.Counted::withInterval).sum();
        assertTrue(withInterval > 500 && withInterval < 1500, "customers with an interval: " + withInterval);
        // the counts read the run's own rows through the primary key, not the table's (which holds both runs)
        try (Connection c = store.connection();
            PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + DecisionCounts.RUN_COUNTS)) {
          ps.setLong(1, DecisionLog.firstDecisionId(run));
          ps.setLong(2, DecisionLog.firstDecisionId(run + 1));
          ps.setLong(3, run);
          StringBuilder plan = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              plan.append(rs.getString(1));
            }
          }
          Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(plan);
          assertTrue(m.find(), plan::toString);
          assertTrue(Long.parseLong(m.group(1)) <= 2_010, "rows examined for a run of 2,000 of 4,000: " + plan);
        }
      }
    }
  }
}
