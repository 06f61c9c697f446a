package io.valuetier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.decide.guardrails.BudgetLedger;
import io.valuetier.decide.rules.RuleFiles;
import io.valuetier.decide.rules.RuleSet;
import io.valuetier.decide.rules.RuleSetCompiler;
import io.valuetier.model.picks.ProductPick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The DMN's "Products" column of the Marketing Action table decides how many of a customer's picks an action carries:
 * changing the cell of the CROSS_SELL row changes what the decision carries, with no Java change; the setting caps it;
 * a rule set whose DMN has no such column gives actions without products.
 */
class ProductsColumnTest {
  /** A Gold customer active and returning a lot: the CROSS_SELL row. */
  private static final DecisionInput CROSS_SELL = new DecisionInput("c1", new BigDecimal("1200"),
      new BigDecimal("88"), new BigDecimal("0.7"), false, "m", "1", new BigDecimal("500"), new BigDecimal("0.45"), true,
      false, BigDecimal.ZERO, false, "UK", "Retail", 0);

  private static List<ProductPick> picks(int n) {
    List<ProductPick> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new ProductPick("P" + i, "product " + i, 1.0 / i, "bought together with X by " + i + " customers", true));
    }
    return out;
  }

  private static RuleSet withCrossSellProducts(String cell) {
    Map<String, String> files = new TreeMap<>(RuleFiles.read(TestRuleSets.home()).all());
    String dmn = files.get("dmn/customer-tiering.dmn");
    String shipped = "<outputEntry id=\"ma-r6-o6\"><text>5</text></outputEntry>";
    assertTrue(dmn.contains(shipped), "the shipped CROSS_SELL row carries 5 products");
    files.put("dmn/customer-tiering.dmn", dmn.replace(shipped, "<outputEntry id=\"ma-r6-o6\"><text>" + cell
        + "</text></outputEntry>"));
    files.keySet().removeIf(k -> k.startsWith("dmn/tests/")); // their expectations are those of the shipped table
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.of(files));
    assertTrue(r.ruleSet() != null, () -> r.messages().toString());
    return r.ruleSet();
  }

  private static Decision decide(RuleSet rs, int max) {
    DecisionEngine engine = new DecisionEngine(rs, TestRuleSets.params()).withPicks(ids -> Map.of("c1", picks(8)), max);
    return engine.decideOne(CROSS_SELL, new BudgetLedger(null), 1, Instant.EPOCH);
  }

  @Test
  void theShippedCrossSellRowCarriesFiveProductsBestFirst() {
    Decision d = decide(TestRuleSets.shipped(), 5);
    assertEquals("CROSS_SELL", d.actionCode());
    assertEquals(List.of("P1", "P2", "P3", "P4", "P5"), d.products().stream().map(ProductPick::productId).toList());
  }

  @Test
  void anAnalystChangingTheColumnChangesHowManyProductsTheActionCarries() {
    assertEquals(1, decide(withCrossSellProducts("1"), 5).products().size());
    assertEquals(0, decide(withCrossSellProducts("0"), 5).products().size());
    assertEquals(7, decide(withCrossSellProducts("7"), 8).products().size());
  }

  @Test
  void theSettingCapsWhatTheColumnAsks() {
    assertEquals(2, decide(withCrossSellProducts("7"), 2).products().size());
  }

  @Test
  void aDmnWithoutTheColumnGivesActionsWithoutProducts() {
    Map<String, String> files = new TreeMap<>(RuleFiles.read(TestRuleSets.home()).all());
    String dmn = files.get("dmn/customer-tiering.dmn")
        .replaceAll("\\s*<itemComponent id=\"tMarketingAction-products\"[^\\n]*", "")
        .replaceAll("\\s*<output id=\"ma-out-products\"[^\\n]*", "")
        .replaceAll("\\s*<outputEntry id=\"ma-r\\d-o6\">[^\\n]*", "");
    files.put("dmn/customer-tiering.dmn", dmn);
    files.keySet().removeIf(k -> k.startsWith("dmn/tests/"));
    RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleFiles.of(files));
    assertTrue(r.ruleSet() != null, () -> r.messages().toString());
    Decision d = decide(r.ruleSet(), 5);
    assertEquals("CROSS_SELL", d.actionCode());
    assertTrue(d.products().isEmpty());
  }
}
