package io.valuetier.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.act.ActionRecord;
import io.valuetier.config.Settings;
import io.valuetier.ingest.TransactionFormat;
import io.valuetier.model.picks.ProductPick;
import io.valuetier.records.CatalogueProduct;
import io.valuetier.store.ProductStore;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.testing.SampleData;
import io.valuetier.testing.TestStores;
import io.valuetier.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job on a slice of the Online Retail sample with the product picks on, on H2: the published files carry the
 * service level of every customer and the products of every action whose DMN row asks for them; no published product
 * was bought by its customer in the 90 days before the cutoff or ever returned; a product the catalogue marks out of
 * stock is never published.
 */
@Tag("slow")
class PicksPublishedTest {
  @TempDir Path work;

  @Test
  void thePublishedFilesCarryTheServiceLevelAndTheProductsAndNeverARecentOrReturnedOne() throws Exception {
    Map<String, String> m = new HashMap<>(Map.of(
        "valuetier.model.algorithms", "gbt,btyd",
        "valuetier.model.gbt.trees", "20",
        "valuetier.run.min-calibration-days", "36500",
        "valuetier.publish.folder", work.resolve("out/actions").toString(),
        "valuetier.run.report", work.resolve("out/report.html").toString(),
        "valuetier.model.registry-dir", work.resolve("models").toString()));
    Settings s = TestStores.settings(TestStores.h2Url(work), work, m);
    MainJob.Options o = new MainJob.Options(MainJobContract.slice(20), TransactionFormat.ONLINE_RETAIL,
        SampleData.onlineRetailCustomers(), false);
    try (Store store = Stores.open(s)) {
      MainJob.Summary first = new MainJob(s, store, MainJob.silent()).run(o);
      assertTrue(first.stageSeconds().containsKey("picks"));
      assertTrue(first.decisions().guardrailInterventions().getOrDefault("OUT_OF_STOCK", 0L) == 0L);
      // now with the catalogue: the same store, a second run decides again
      String top = ProductPick.fromJson(store.queryString("SELECT picks FROM customer_picks WHERE customer_id = ''"))
          .getFirst().productId();
      new ProductStore(store).upsert(List.of(new CatalogueProduct(top, "THE TOP SELLER", null, false)));
      MainJob.Summary run = new MainJob(s, store, MainJob.silent()).run(o);
      Path folder = Path.of(run.publish().folder());

      List<String> csv = Files.readAllLines(folder.resolve("WELCOME_SERIES.csv"));
      assertEquals(ActionRecord.CSV_HEADER, csv.getFirst());
      assertTrue(csv.getFirst().endsWith(",service_level,products"));

      LocalDate[] cutoff = {null};
      store.forEachRow("the last day", "SELECT MAX(order_ts) FROM transactions",
          rs -> cutoff[0] = rs.getTimestamp(1).toLocalDateTime().toLocalDate());
      Map<String, Set<String>> forbidden = new HashMap<>();
      store.forEachRow("transactions", "SELECT customer_id, product_id, order_ts, quantity FROM transactions", rs -> {
        LocalDate day = rs.getTimestamp(3).toLocalDateTime().toLocalDate();
        if (rs.getDouble(4) < 0 || !day.isBefore(cutoff[0].minusDays(89))) {
          forbidden.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
        }
      });
      int withProducts = 0;
      int serviceLevels = 0;
      Set<String> levels = new HashSet<>();
      List<String> lines = Files.readAllLines(folder.resolve("actions.jsonl"));
      assertEquals(run.decisions().decisions(), lines.size());
      for (String line : lines) {
        JsonNode a = Json.MAPPER.readTree(line);
        String level = a.get("service_level").asText();
        assertTrue(Set.of("Dedicated", "Priority", "Standard").contains(level), line);
        levels.add(level);
        serviceLevels++;
        List<ProductPick> products = ProductPick.fromJson(a.get("products").toString());
        String action = a.get("action").asText();
        boolean contact = !a.get("channel").isNull() && !a.get("control_group").asBoolean();
        if (!contact || Set.of("NO_ACTION", "NO_CONTACT", "LOYALTY_INVITE", "WINBACK_SURVEY").contains(action)) {
          assertTrue(products.isEmpty(), line);
          continue;
        }
        int expected = switch (action) {
          case "CROSS_SELL" -> 5;
          case "NEWSLETTER" -> 2;
          default -> 3;
        };
        // the out-of-stock product, when among the picks, is dropped by the guardrail (and named in the reasons)
        boolean dropped = a.get("reasons").asText().contains("OUT_OF_STOCK: ");
        assertEquals(dropped ? expected - 1 : expected, products.size(), line);
        withProducts++;
        Set<String> no = forbidden.getOrDefault(a.get("customer_id").asText(), Set.of());
        for (ProductPick p : products) {
          assertFalse(no.contains(p.productId()), "recently bought or returned: " + line);
          assertFalse(p.productId().equals(top), "out of stock: " + line);
          assertFalse(p.reason().isBlank());
        }
      }
      assertEquals(lines.size(), serviceLevels);
      assertTrue(levels.size() >= 2, levels.toString());
      assertTrue(withProducts > 100, "actions with products: " + withProducts);
      assertTrue(run.decisions().guardrailInterventions().containsKey("OUT_OF_STOCK"),
          run.decisions().guardrailInterventions().toString());
      // the decision trace keeps the products as published
      assertEquals(withProducts, store.queryLong("SELECT COUNT(*) FROM decisions WHERE run_id = ? AND products IS NOT NULL",
          run.decisions().runId()));
    }
  }
}
